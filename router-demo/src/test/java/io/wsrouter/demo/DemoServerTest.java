package io.wsrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.testkit.SilentPeer;
import io.wsrouter.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo server over real sockets, with the JDK's WebSocket client: no browser needed. */
class DemoServerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> RUN_EVENTS = List.of("agent_started", "agent_thinking", "agent_thinking",
            "tool_executing", "tool_completed", "agent_thinking", "agent_completed");

    private static DemoServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = DemoServer.builder().port(0).stepDelay(Duration.ofMillis(10)).start();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void userMessageStreamsTheAgentEventsInOrderToEveryConnectionOfTheUserAndNoOneElse() throws Exception {
        try (WsClient alice = connect("alice");
             WsClient aliceSecondTab = connect("alice");
             WsClient bob = connect("bob")) {

            alice.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"hello router world\"},\"message_id\":\"m-1\"}");

            for (WsClient tab : List.of(alice, aliceSecondTab)) {
                tab.awaitFrame(f -> "agent_completed".equals(f.path("type").asText()));
                List<JsonNode> events = tab.frames().stream()
                        .filter(f -> f.path("type").asText().startsWith("agent_") || f.path("type").asText().startsWith("tool_"))
                        .collect(Collectors.toList());
                assertThat(events).extracting(f -> f.path("type").asText()).containsExactlyElementsOf(RUN_EVENTS);
                assertThat(events).allSatisfy(f -> {
                    assertThat(f.path("agent_name").asText()).isEqualTo(DemoAgentService.AGENT_NAME);
                    assertThat(f.path("correlation_id").asText()).isEqualTo("m-1");
                    assertThat(f.path("timestamp").asText()).endsWith("Z");
                });
                assertThat(events).extracting(f -> f.path("run_id").asText()).containsOnly(events.get(0).path("run_id").asText());
                assertThat(events.get(4).path("data").path("result").path("words").asInt()).isEqualTo(3);
                assertThat(events.get(6).path("data").path("result").path("answer").asText())
                        .startsWith("Your message has 3 tokens (18 characters); the longest one, \"router\"");
                assertThat(events.get(6).path("data").path("result").path("quality").path("overall_score").isNumber()).isTrue();
            }

            // Frames to one connection leave in order: once bob's pong is back, anything sent to him earlier is too.
            bob.send("{\"type\":\"ping\"}");
            bob.awaitFrame(f -> "pong".equals(f.path("type").asText()));
            assertThat(bob.frames()).extracting(f -> f.path("type").asText()).containsExactly("system_message", "pong");
        }
    }

    @Test
    void qualityMessagesReachTheQualityDispatcher() throws Exception {
        try (WsClient grace = connect("grace")) {
            grace.send("{\"type\":\"validate_content\",\"payload\":{\"content\":\"Set max_connections to 200 and cut p95 latency "
                    + "from 450 ms to 120 ms.\",\"content_type\":\"optimization\",\"strict_mode\":true}}");
            JsonNode result = grace.awaitFrame(f -> "content_validation_result".equals(f.path("type").asText()));
            assertThat(result.path("data").path("passed").isBoolean()).isTrue();
            assertThat(result.path("data").path("metrics").path("overall_score").asDouble()).isBetween(0.0, 1.0);
            assertThat(result.path("data").path("strict_mode").asBoolean()).isTrue();

            grace.send("{\"type\":\"subscribe_quality_alerts\",\"payload\":{\"action\":\"subscribe\"}}");
            grace.awaitFrame(f -> "quality_alerts_subscribed".equals(f.path("type").asText()));
            JsonNode stats = MAPPER.readTree(get("/stats").body());
            assertThat(stats.path("quality").path("subscribers").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(stats.path("routing").path("quality_messages").asLong()).isGreaterThanOrEqualTo(2);

            grace.send("{\"type\":\"validate_content\",\"payload\":{}}");
            JsonNode error = grace.awaitFrame(f -> "error_message".equals(f.path("type").asText()));
            assertThat(error.path("data").path("error_code").asText()).isEqualTo("CONTENT_MISSING");
        }
    }

    @Test
    void aFrameThatIsNotJsonIsAnsweredWithInvalidJson() throws Exception {
        try (WsClient carol = connect("carol")) {
            carol.send("{not json");
            JsonNode error = carol.awaitFrame(f -> "error_message".equals(f.path("type").asText()));
            assertThat(error.path("data").path("error_code").asText()).isEqualTo("INVALID_JSON");
        }
    }

    @Test
    void handshakeWithoutAUserIsRefusedWithUnauthorizedAndNoSocket() {
        URI noUser = URI.create("ws://" + server.host() + ":" + server.port() + "/ws");
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(noUser, new java.net.http.WebSocket.Listener() { })
                .orTimeout(20, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void aPageOfAnotherSiteCannotOpenASocketEvenWithAUserName() {
        URI asAlice = URI.create("ws://" + server.host() + ":" + server.port() + "/ws?user=alice");
        assertThat(WsClient.handshakeStatus(http, asAlice, Map.of("Origin", "https://evil.example"))).isEqualTo(403);
        assertThat(WsClient.handshakeStatus(http, asAlice, Map.of("Origin", "http://" + server.host() + ":" + server.port())))
                .as("the demo's own page").isEqualTo(101);
    }

    @Test
    void statsReportRoutingStatisticsAndPoolFiguresAsJson() throws Exception {
        try (WsClient dave = connect("dave")) {
            HttpResponse<String> response = get("/stats");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode stats = MAPPER.readTree(response.body());
            assertThat(stats.path("routing").path("messages_routed").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(stats.path("routing").path("message_types").path("connect").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(stats.path("pool").path("active_connections").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(stats.path("pool").path("connected_users").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(stats.path("handler_status").asText()).isIn("INITIALIZING", "READY");
            assertThat(stats.path("cluster").path("redis").asBoolean(true)).isFalse(); // the default: one node in memory
        }
    }

    @Test
    void commandLineTakesAPortAndARedisUriInAnyOrderAndRefusesAnythingElse() {
        DemoServer.Builder clustered = DemoServer.applyArguments(DemoServer.builder(), "8081", "--redis", "redis://127.0.0.1:6390");
        assertThat(clustered.port()).isEqualTo(8081);
        assertThat(clustered.redisUri()).isEqualTo("redis://127.0.0.1:6390");
        DemoServer.Builder equalsForm = DemoServer.applyArguments(DemoServer.builder(), "--redis=redis://127.0.0.1:6390", "0");
        assertThat(equalsForm.port()).isZero();
        assertThat(equalsForm.redisUri()).isEqualTo("redis://127.0.0.1:6390");
        assertThat(DemoServer.applyArguments(DemoServer.builder(), "8082").redisUri()).isNull();
        assertThatThrownBy(() -> DemoServer.applyArguments(DemoServer.builder(), "8080", "--redis"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--redis needs a URI");
        assertThatThrownBy(() -> DemoServer.applyArguments(DemoServer.builder(), "8080", "8081"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unexpected argument '8081'");
        assertThatThrownBy(() -> DemoServer.applyArguments(DemoServer.builder(), "eighty"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> DemoServer.builder().redis(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingTheSocketUnregistersTheConnection() throws Exception {
        WsClient erin = connect("erin");
        assertThat(server.router().connectionPool().orElseThrow().connectionsOf("erin")).hasSize(1);
        erin.close();
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        while (!server.router().connectionPool().orElseThrow().connectionsOf("erin").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.router().connectionPool().orElseThrow().connectionsOf("erin")).isEmpty();
    }

    @Test
    void aConnectionThePoolGivesUpForIdlenessIsClosedWith1001() throws Exception {
        // A demo with a pool idle timeout this test can wait for: the socket stays silent from the start, and the
        // pool's sweeper or Jetty's idle timer (the same 300 ms) closes it, whichever looks first.
        try (DemoServer quick = DemoServer.builder().port(0).stepDelay(Duration.ofMillis(10))
                .idleTimeout(Duration.ofMillis(300)).start();
             WsClient frank = WsClient.connect(http, URI.create("ws://" + quick.host() + ":" + quick.port() + "/ws?user=frank"), "frank")) {
            assertThat(frank.awaitClosed(WsClient.TIMEOUT)).isTrue();
            assertThat(frank.closeStatus()).isEqualTo(1001);
        }
    }

    @Test
    void aPeerThatStopsReadingIsAbortedNotClosedPolitely() throws Exception {
        ConnectionRegistry pool = server.router().connectionPool().orElseThrow();
        long slowBefore = pool.deliveryStatistics().connectionsClosedSlow();
        try (SilentPeer peer = SilentPeer.connect(server.host(), server.port(), "/ws?user=slowpoke", Map.of())) {
            long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
            while (pool.connectionsOf("slowpoke").isEmpty()) {
                assertThat(System.nanoTime()).as("slowpoke registered").isLessThan(deadline);
                Thread.sleep(10);
            }
            Map<String, String> data = Map.of("blob", "x".repeat(16 * 1024));
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (pool.deliveryStatistics().connectionsClosedSlow() == slowBefore) {
                assertThat(System.nanoTime()).as("the pool removed the silent reader").isLessThan(deadline);
                server.router().emitToUser("slowpoke", "flood", data);
            }

            SilentPeer.StreamEnd end = peer.readUntilEnd();   // fails if the server still holds the connection

            assertThat(end.closeFrames()).as("aborted: no close frame queued behind the stalled write").isZero();
        }
    }

    @Test
    void thePageIsServedAtTheRoot() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"timeline\"", "app.js", "real host authenticates the handshake");
        assertThat(get("/app.js").statusCode()).isEqualTo(200);
        assertThat(get("/app.css").statusCode()).isEqualTo(200);
    }

    /** Connects as the user and waits until the router has registered the connection. */
    private static WsClient connect(String user) throws Exception {
        WsClient client = WsClient.connect(http, URI.create("ws://" + server.host() + ":" + server.port() + "/ws?user=" + user), user);
        client.send("{\"type\":\"connect\"}");
        client.awaitFrame(f -> "system_message".equals(f.path("type").asText())
                && "connected".equals(f.path("data").path("status").asText()));
        return client;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
