package io.wsrouter.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.AgentRun;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import io.wsrouter.jetty.JettyRouterEndpoint;
import io.wsrouter.testkit.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * The README's Jetty quick start compiles, runs over a real Jetty server and a real client, and is
 * the code below, line for line. Only public API: this class is outside {@code io.wsrouter.jetty}.
 */
class ReadmeJettyQuickStartTest {

    /** Stands for the host's authentication (Jetty's SecurityHandler, a token filter): sets the Principal. */
    static final class HeaderAuthentication extends Handler.Wrapper {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String user = request.getHeaders().get("X-User");
            if (user != null) {
                Principal principal = () -> user;
                Request.setAuthenticationState(request, new Request.AuthenticationState() {
                    @Override
                    public Principal getUserPrincipal() {
                        return principal;
                    }
                });
            }
            return super.handle(request, response, callback);
        }
    }

    /** Stands for the host's agents. */
    static final class Agents {
        void start(String content, AgentRun run) {
            run.emit("agent_started", "supervisor", Map.of("content", content));
        }
    }

    @Test
    void jettyQuickStartRunsAsWritten() throws Exception {
        Agents myAgents = new Agents();
        Handler.Wrapper securityHandler = new HeaderAuthentication();
        int port = 0;
        String userId = "alice";

        // quick-start-jetty:begin
        WebSocketManager transport = JettyRouterEndpoint.newTransport();   // the pool writes through Jetty's sessions
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).idleTimeout(Duration.ofMinutes(5)).build())
                .agentService((request, run) -> myAgents.start(request.content(), run))
                .build();

        Server server = new Server(port);
        securityHandler.setHandler(JettyRouterEndpoint.builder(router, transport).build().upgradeHandler(server)); // ws://host:port/ws
        server.setHandler(securityHandler);   // your authentication: the endpoint's user is the request's Principal
        server.start();

        // anywhere in the backend:
        router.emitToUser(userId, "agent_thinking", Map.of("reasoning", "Looking at your data"));
        // quick-start-jetty:end

        try {
            int bound = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            WsClient alice = WsClient.connect(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + bound + "/ws"),
                    "alice", Map.of("X-User", "alice"));
            alice.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"hello\"}}");
            assertThat(alice.awaitFrame(f -> "agent_started".equals(f.path("type").asText())).at("/data/content").asText())
                    .isEqualTo("hello");
            router.emitToUser(userId, "agent_thinking", Map.of("reasoning", "Looking at your data"));
            assertThat(alice.awaitFrame(f -> "agent_thinking".equals(f.path("type").asText())).at("/data/reasoning").asText())
                    .isEqualTo("Looking at your data");
            alice.close();
        } finally {
            router.close();
            server.stop();
        }
    }

    @Test
    void readmeShowsExactlyThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/wsrouter/tests/ReadmeJettyQuickStartTest.java"));
        String test = source.substring(source.indexOf("// quick-start-jetty:begin") + "// quick-start-jetty:begin".length(),
                source.indexOf("        // quick-start-jetty:end"));
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```java", readme.indexOf("<!-- quick-start:jetty -->")) + "```java".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        assertThat(normalise(snippet)).isEqualTo(normalise(test));
    }

    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
