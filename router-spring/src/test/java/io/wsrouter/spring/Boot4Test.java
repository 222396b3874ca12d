package io.wsrouter.spring;

import static io.wsrouter.testkit.TestSocket.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.spring.app.ChatApp;
import io.wsrouter.testkit.TestSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What only Boot 4 has: its health contributor API (the {@code wsrouter} indicator) and Jackson 3 as
 * the app's JSON library, beside the Jackson 2 the router uses for its frames.
 */
@SpringBootTest(classes = ChatApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.health.show-details=always")
class Boot4Test {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    CanonicalMessageRouter router;
    @Autowired
    JsonMapper jackson3;

    private String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theHealthEndpointShowsTheRouterUpWithItsConnections() throws Exception {
        try (TestSocket alice = TestSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), Map.of("Authorization", "Bearer alice"))) {
            alice.send("{\"type\":\"ping\"}");
            alice.awaitFrame(f -> true, PATIENCE);
            JsonNode health = jackson3.readTree(get("/actuator/health/wsrouter"));
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(health.path("details").path("activeConnections").asInt()).isEqualTo(1);
            assertThat(health.path("details").path("handlerStatus").asString()).isIn("INITIALIZING", "READY");
        }
    }

    @Test
    void jackson3ServesTheAppWhileTheRouterWritesItsFramesWithJackson2() throws Exception {
        // Boot 4 configures Jackson 3 (tools.jackson) and no Jackson 2 ObjectMapper: the router needs none.
        assertThat(context.getBeanNamesForType(com.fasterxml.jackson.databind.ObjectMapper.class)).isEmpty();
        assertThat(jackson3.readTree(get("/weather")).path("temperature_c").asInt()).isEqualTo(21);
        try (TestSocket alice = TestSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), Map.of("Authorization", "Bearer alice"))) {
            alice.send("{\"type\":\"ping\"}");
            alice.awaitFrame(f -> true, PATIENCE);
            // The same record through the router's Jackson 2: the annotations (com.fasterxml.jackson.annotation) are shared.
            router.emitToUser("alice", "weather", new ChatApp.Weather(21));
            String frame = alice.awaitFrame(f -> f.contains("\"weather\""), PATIENCE);
            assertThat(jackson3.readTree(frame).path("data").path("temperature_c").asInt()).isEqualTo(21);
        }
    }
}
