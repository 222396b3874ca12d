package io.wsrouter.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.AgentService;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.MessageLimits;
import io.wsrouter.events.AgentEvents;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import io.wsrouter.testkit.MutableClock;
import io.wsrouter.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Jetty adapter over a real Jetty 12 server on loopback and real {@code java.net.http.WebSocket}
 * clients: what a backend gets from {@code JettyRouterEndpoint} without writing any glue.
 */
class JettyRouterEndpointTest {

    private static final List<String> FIVE_EVENTS =
            List.of("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed");

    /** A scripted agent: the five critical events of a run, through AgentEvents, on the routing thread. */
    private static final AgentService FIVE_STEP_AGENT = (request, run) -> {
        AgentEvents events = AgentEvents.of(run, "supervisor");
        events.agentStarted(Map.of("thread_id", request.thread().orElse("")));
        events.agentThinking("Counting the words", 1, 50);
        events.toolExecuting("word_count", Map.of("text", request.content()));
        int words = request.content().trim().split("\\s+").length;
        events.toolCompleted("word_count", Map.of("words", words), 1L);
        events.agentCompleted(Map.of("answer", "Your message has " + words + " words"), 2L);
    };

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WsClient> clients = new ArrayList<>();
    private EndpointServer server;

    @AfterEach
    void closeEverything() throws Exception {
        for (WsClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EndpointServer start(Function<WebSocketManager, CanonicalMessageRouter> routerFactory) throws Exception {
        server = EndpointServer.start(routerFactory);
        return server;
    }

    private static CanonicalMessageRouter routerWithAgent(WebSocketManager transport) {
        return CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build())
                .agentService(FIVE_STEP_AGENT)
                .build();
    }

    private WsClient connect(String user) {
        return connect(user, Map.of());
    }

    private WsClient connect(String user, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put(EndpointServer.USER_HEADER, user);
        WsClient client = WsClient.connect(http, server.uri(), user, all);
        clients.add(client);
        return client;
    }

    /** Connects and waits until the router registered the socket (the handshake may complete first). */
    private WsClient connectRegistered(String user) throws Exception {
        int before = server.router().connectionPool().orElseThrow().connectionsOf(user).size();
        WsClient client = connect(user);
        awaitTrue("registered " + user, () -> server.router().connectionPool().orElseThrow().connectionsOf(user).size() > before);
        return client;
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).collect(Collectors.toList());
    }

    private static JsonNode pongTo(WsClient client, String messageId) throws Exception {
        client.send("{\"type\":\"ping\",\"message_id\":\"" + messageId + "\"}");
        return client.awaitFrame(f -> messageId.equals(f.path("correlation_id").asText()));
    }

    // ------------------------------------------------------------------ golden path

    @Test
    void goldenPathAliceInTwoConnectionsGetsTheFiveAgentEventsInOrderAndBobNone() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);
        WsClient alice = connectRegistered("alice");
        WsClient aliceSecondTab = connectRegistered("alice");
        WsClient bob = connectRegistered("bob");

        alice.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"what is the weather in Paris\"},"
                + "\"thread_id\":\"t-1\",\"message_id\":\"m-1\"}");

        for (WsClient tab : List.of(alice, aliceSecondTab)) {
            List<JsonNode> events = tab.awaitFrames(5);
            assertThat(types(events)).containsExactlyElementsOf(FIVE_EVENTS);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.path("run_id").asText()).isEqualTo(events.get(0).path("run_id").asText()).isNotEmpty();
                assertThat(e.path("agent_name").asText()).isEqualTo("supervisor");
                assertThat(e.path("correlation_id").asText()).isEqualTo("m-1");
            });
            assertThat(events.get(3).at("/data/result/words").asInt()).isEqualTo(6);
            // Exactly five: the answer to a later ping comes right after them.
            pongTo(tab, "fence-" + tab.hashCode());
            assertThat(tab.frames()).hasSize(6);
        }
        // Bob's first frame is the answer to his own ping: none of alice's events reached him.
        pongTo(bob, "b-1");
        assertThat(types(bob.frames())).containsExactly("pong");
        assertThat(server.endpoint().openSessions()).isEqualTo(3);
    }

    @Test
    void emitToUserReachesEveryConnectionOfTheUserThroughJettysAsynchronousSend() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);
        WsClient first = connectRegistered("carol");
        WsClient second = connectRegistered("carol");

        assertThat(server.router().emitToUserCount("carol", "agent_thinking", Map.of("reasoning", "hm"))).isEqualTo(2);

        for (WsClient tab : List.of(first, second)) {
            JsonNode event = tab.awaitFrame(f -> "agent_thinking".equals(f.path("type").asText()));
            assertThat(event.at("/data/reasoning").asText()).isEqualTo("hm");
        }
        // Counted when Jetty's write callback completes the pool's stage, which may trail the client's receipt.
        awaitTrue("both sends completed", () -> server.router().statistics().delivery().framesSent() == 2);
    }

    @Test
    void closingTheSocketUnregistersTheConnection() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);
        WsClient dave = connectRegistered("dave");

        dave.close();

        awaitTrue("dave unregistered", () -> server.router().connectionPool().orElseThrow().connectionsOf("dave").isEmpty());
        awaitTrue("session forgotten", () -> server.endpoint().openSessions() == 0);
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void aConnectionOverTheUsersLimitGetsConnectionLimitThenClose1008() throws Exception {
        start(transport -> CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).maxConnectionsPerUser(1).build())
                .build());
        WsClient first = connectRegistered("erin");

        WsClient second = connect("erin");

        JsonNode error = second.awaitFrame(f -> "error_message".equals(f.path("type").asText()));
        assertThat(error.at("/data/error_code").asText()).isEqualTo("CONNECTION_LIMIT");
        assertThat(error.at("/data/details").isObject()).isTrue();
        assertThat(second.awaitClosed(WsClient.TIMEOUT)).isTrue();
        assertThat(second.closeStatus()).isEqualTo(1008);
        assertThat(second.frames()).hasSize(1);
        // The first connection is untouched and still served.
        assertThat(pongTo(first, "f-1").path("type").asText()).isEqualTo("pong");
        assertThat(server.router().connectionPool().orElseThrow().connectionsOf("erin")).hasSize(1);
    }

    @Test
    void aHandshakeWithoutAnAuthenticatedUserIsRefusedWith401AndNoSocket() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);

        int status = WsClient.handshakeStatus(http, server.uri(), Map.of());

        assertThat(status).isEqualTo(401);
        assertThat(server.endpoint().openSessions()).isZero();
        assertThat(server.router().statistics().activeConnections()).isZero();
    }

    @Test
    void aForeignOriginIsRefusedWith403BeforeTheUpgradeWhileTheOwnOriginAndNonBrowsersPass() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);
        URI uri = server.uri();
        String own = "http://127.0.0.1:" + server.port();

        assertThat(WsClient.handshakeStatus(http, uri, Map.of(EndpointServer.USER_HEADER, "frank", "Origin", "https://evil.example")))
                .isEqualTo(403);
        assertThat(WsClient.handshakeStatus(http, uri, Map.of(EndpointServer.USER_HEADER, "frank", "Origin", "null")))
                .isEqualTo(403);
        assertThat(WsClient.handshakeStatus(http, uri, Map.of(EndpointServer.USER_HEADER, "frank", "Origin", "http://127.0.0.1:1")))
                .as("same host, another port: another origin").isEqualTo(403);
        assertThat(server.router().statistics().connectionEvents()).as("no refused handshake reached the router").isZero();

        assertThat(WsClient.handshakeStatus(http, uri, Map.of(EndpointServer.USER_HEADER, "frank", "Origin", own))).isEqualTo(101);
        assertThat(WsClient.handshakeStatus(http, uri, Map.of(EndpointServer.USER_HEADER, "frank")))
                .as("no Origin: not a browser").isEqualTo(101);
    }

    @Test
    void allowedOriginsAreAcceptedBesidesTheOwnOne() throws Exception {
        server = EndpointServer.start(JettyRouterEndpointTest::routerWithAgent,
                b -> b.allowedOrigins("https://App.Example.com:443"));

        assertThat(WsClient.handshakeStatus(http, server.uri(), Map.of(EndpointServer.USER_HEADER, "gina", "Origin", "https://app.example.com")))
                .isEqualTo(101);
        assertThat(WsClient.handshakeStatus(http, server.uri(), Map.of(EndpointServer.USER_HEADER, "gina", "Origin", "http://app.example.com")))
                .as("another scheme").isEqualTo(403);
    }

    @Test
    void theInsecureQueryParameterResolverIsAnExplicitOptIn() throws Exception {
        server = EndpointServer.start(JettyRouterEndpointTest::routerWithAgent,
                b -> b.userResolver(JettyRouterEndpoint.UserResolver.insecureQueryParameter("user")));
        URI asHenry = URI.create(server.uri() + "?user=henry");

        WsClient henry = WsClient.connect(http, asHenry, "henry");
        clients.add(henry);

        assertThat(pongTo(henry, "h-1").path("type").asText()).isEqualTo("pong");
        assertThat(server.router().connectionPool().orElseThrow().connectionsOf("henry")).hasSize(1);
        assertThat(WsClient.handshakeStatus(http, URI.create(server.uri() + "?user=not%20valid"), Map.of())).isEqualTo(401);
        assertThat(WsClient.handshakeStatus(http, server.uri(), Map.of())).isEqualTo(401);
    }

    @Test
    void aFailingUserResolverRefusesTheHandshakeWith500() throws Exception {
        server = EndpointServer.start(JettyRouterEndpointTest::routerWithAgent,
                b -> b.userResolver(request -> {
                    throw new IllegalStateException("token service down");
                }));

        assertThat(WsClient.handshakeStatus(http, server.uri(), Map.of(EndpointServer.USER_HEADER, "ivan"))).isEqualTo(500);
    }

    // ------------------------------------------------------------------ frames

    @Test
    void aBinaryFrameIsAnsweredWithUnsupportedFrameAndTheConnectionStaysOpen() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);
        WsClient judy = connectRegistered("judy");

        judy.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));

        JsonNode error = judy.awaitFrame(f -> "error_message".equals(f.path("type").asText()));
        assertThat(error.at("/data/error_code").asText()).isEqualTo("UNSUPPORTED_FRAME");
        assertThat(error.at("/data/error_message").asText()).contains("binary");
        assertThat(error.path("timestamp").asText()).endsWith("Z");
        assertThat(pongTo(judy, "j-1").path("type").asText()).isEqualTo("pong");
        assertThat(judy.closeStatus()).isEqualTo(-1);
    }

    @Test
    void theContainersMessageLimitIsTheRoutersFrameLimit() throws Exception {
        start(transport -> CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build())
                .limits(MessageLimits.DEFAULT.withMaxFrameBytes(1024))
                .build());
        WsClient kim = connectRegistered("kim");

        String padding = "x".repeat(900);
        kim.send("{\"type\":\"ping\",\"message_id\":\"k-1\",\"pad\":\"" + padding + "\"}");
        assertThat(kim.awaitFrame(f -> "k-1".equals(f.path("correlation_id").asText())).path("type").asText()).isEqualTo("pong");

        kim.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}");

        assertThat(kim.awaitClosed(WsClient.TIMEOUT)).isTrue();
        assertThat(kim.closeStatus()).as("Jetty refuses the message before buffering it: 1009 Message Too Big").isEqualTo(1009);
    }

    // ------------------------------------------------------------------ removals by reason

    @Test
    void anIdleConnectionRemovedByThePoolIsClosedWith1001IdleTimeout() throws Exception {
        MutableClock clock = new MutableClock();
        start(transport -> CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).clock(clock).idleTimeout(Duration.ofMinutes(5)).build())
                .build());
        WsClient leo = connectRegistered("leo");

        clock.advance(Duration.ofMinutes(6));
        assertThat(server.router().connectionPool().orElseThrow().expireIdle()).isEqualTo(1);

        assertThat(leo.awaitClosed(WsClient.TIMEOUT)).isTrue();
        assertThat(leo.closeStatus()).isEqualTo(1001);
        assertThat(leo.closeReason()).isEqualTo("idle timeout");
    }

    @Test
    void jettysIdleTimeoutIsThePoolsSoASilentSocketIsClosedWith1001EvenBeforeTheSweeperLooks() throws Exception {
        // The sweeper would look only in an hour, and Jetty's own default is 30 s (past WsClient.TIMEOUT):
        // only the pool's 300 ms, handed to Jetty, can close this socket in time.
        start(transport -> CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).idleTimeout(Duration.ofMillis(300))
                        .sweepInterval(Duration.ofHours(1)).build())
                .build());
        WsClient rita = connect("rita");   // silent from the start: no wait that 300 ms could race

        assertThat(rita.awaitClosed(WsClient.TIMEOUT)).isTrue();
        assertThat(rita.closeStatus()).isEqualTo(1001);
        awaitTrue("rita unregistered", () -> server.router().connectionPool().orElseThrow().connectionsOf("rita").isEmpty());
    }

    @Test
    void anExplicitIdleTimeoutOverridesThePools() throws Exception {
        server = EndpointServer.start(transport -> CanonicalMessageRouter.builder()
                        .connectionPool(ConnectionPool.builder(transport).sweepInterval(Duration.ofHours(1)).build())
                        .build(),
                b -> b.idleTimeout(Duration.ofMillis(300)));
        WsClient sam = connect("sam");   // silent from the start: no wait that 300 ms could race

        assertThat(sam.awaitClosed(WsClient.TIMEOUT)).isTrue();
        assertThat(sam.closeStatus()).isEqualTo(1001);
    }

    @Test
    void closingTheRouterClosesEverySocketWith1001ServerShuttingDown() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);
        WsClient mia = connectRegistered("mia");
        WsClient ned = connectRegistered("ned");

        server.router().close();

        for (WsClient client : List.of(mia, ned)) {
            assertThat(client.awaitClosed(WsClient.TIMEOUT)).isTrue();
            assertThat(client.closeStatus()).isEqualTo(1001);
            assertThat(client.closeReason()).isEqualTo("server shutting down");
        }
        // A handshake after that is upgraded, told why, and closed.
        WsClient late = connect("olga");
        JsonNode error = late.awaitFrame(f -> "error_message".equals(f.path("type").asText()));
        assertThat(error.at("/data/error_code").asText()).isEqualTo("ROUTER_CLOSED");
        assertThat(late.awaitClosed(WsClient.TIMEOUT)).isTrue();
        assertThat(late.closeStatus()).isEqualTo(1001);
    }

    @Test
    void aDisconnectMessageIsAcknowledgedAndLeavesTheSocketOpenUntilItsNextFrame() throws Exception {
        start(JettyRouterEndpointTest::routerWithAgent);
        WsClient pia = connectRegistered("pia");

        pia.send("{\"type\":\"disconnect\"}");
        JsonNode ack = pia.awaitFrame(f -> "disconnect_acknowledged".equals(f.at("/data/status").asText()));
        assertThat(ack.path("type").asText()).isEqualTo("system_message");
        awaitTrue("pia unregistered", () -> server.router().connectionPool().orElseThrow().connectionsOf("pia").isEmpty());

        // UNREGISTERED closes nothing: the socket is still there, and its next frame registers it again.
        assertThat(pongTo(pia, "p-1").path("type").asText()).isEqualTo("pong");
        assertThat(pia.closeStatus()).isEqualTo(-1);
        assertThat(server.router().connectionPool().orElseThrow().connectionsOf("pia")).hasSize(1);
    }

    @Test
    void aConnectionWhoseSendsFailIsAbortedWithoutACloseFrame() throws Exception {
        java.util.Set<String> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();
        start(transport -> CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder((id, frame) -> broken.contains(id)
                        ? CompletableFuture.failedFuture(new java.io.IOException("injected"))
                        : transport.sendToConnection(id, frame)).maxConsecutiveFailures(2).build())
                .build());
        WsClient quinn = connectRegistered("quinn");
        broken.addAll(server.router().connectionPool().orElseThrow().connectionsOf("quinn"));

        server.router().emitToUser("quinn", "one", Map.of());
        server.router().emitToUser("quinn", "two", Map.of());

        assertThat(quinn.awaitClosed(WsClient.TIMEOUT)).isTrue();
        // 1006 is never sent on the wire: the JDK client reports it when the TCP connection ended without a close frame.
        assertThat(quinn.closeStatus()).as("aborted: no close frame reached the client").isEqualTo(1006);
        assertThat(server.router().statistics().delivery().connectionsClosedFailing()).isEqualTo(1);
        awaitTrue("TCP connection gone on the server", () -> server.connectedEndPoints() == 0);
    }

    // ------------------------------------------------------------------ the builder

    @Test
    void theBuilderRefusesATransportItDidNotCreateARouterWithoutPoolAndASecondEndpointOnOneTransport() {
        WebSocketManager foreign = (id, frame) -> CompletableFuture.completedFuture(null);
        try (CanonicalMessageRouter noPool = CanonicalMessageRouter.builder().build()) {
            assertThatThrownBy(() -> JettyRouterEndpoint.builder(noPool, foreign))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JettyRouterEndpoint.newTransport()");
            WebSocketManager transport = JettyRouterEndpoint.newTransport();
            assertThatThrownBy(() -> JettyRouterEndpoint.builder(noPool, transport).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no connection pool");
        }
        WebSocketManager transport = JettyRouterEndpoint.newTransport();
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build()).build()) {
            JettyRouterEndpoint.builder(router, transport).build();
            assertThatThrownBy(() -> JettyRouterEndpoint.builder(router, transport).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already serves");
        }
    }

    @Test
    void theBuilderNamesBadValues() {
        WebSocketManager transport = JettyRouterEndpoint.newTransport();
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build()).build()) {
            JettyRouterEndpoint.Builder builder = JettyRouterEndpoint.builder(router, transport);
            assertThatThrownBy(() -> builder.path("ws")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path must start with '/' but was 'ws'");
            assertThatThrownBy(() -> builder.allowedOrigins("app.example.com")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("allowed origin must be '*' or http(s)://host[:port] but was 'app.example.com'");
            assertThatThrownBy(() -> builder.idleTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("idleTimeout must be > 0 but was PT0S");
            assertThatThrownBy(() -> builder.userResolver(null)).isInstanceOf(NullPointerException.class).hasMessage("userResolver");
        }
    }

    @Test
    void aSendToAConnectionWithoutOpenSessionFailsAtOnce() {
        WebSocketManager transport = JettyRouterEndpoint.newTransport();
        CompletableFuture<Void> sent = transport.sendToConnection("nobody", "{}").toCompletableFuture();
        assertThat(sent).isCompletedExceptionally();
        assertThatThrownBy(() -> sent.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
    }
}
