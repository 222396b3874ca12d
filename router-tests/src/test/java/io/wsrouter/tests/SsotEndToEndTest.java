package io.wsrouter.tests;

import static io.wsrouter.tests.ScriptedAgentService.FIVE_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.DeliveryStatistics;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.quality.QualityDispatcher;
import io.wsrouter.testkit.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end four of the SSOT suite: real WebSockets on loopback, an embedded Jetty 12 server
 * wired to the canonical router through router-jetty's endpoint, and {@code java.net.http.WebSocket}
 * clients. Every server and client is closed after each test; at the end of the class no thread
 * started by it is left.
 */
@Tag("ssot")
class SsotEndToEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Await.GENEROUS;
    private static ThreadLeakCheck threads;

    private final ScriptedAgentService agents = new ScriptedAgentService();
    private ClientFleet fleet;
    private JettyRouterServer server;

    @BeforeAll
    static void rememberThreads() {
        threads = ThreadLeakCheck.start();
    }

    @BeforeEach
    void clients() {
        fleet = new ClientFleet();
    }

    @AfterEach
    void closeClientsAndServer() throws Exception {
        fleet.close();
        if (server != null) {
            int port = server.port();
            server.close();
            assertThat(server.isStopped()).isTrue();
            // Nothing listens on the port any more: it can be bound again.
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    @AfterAll
    static void noThreadIsLeft() throws InterruptedException {
        assertThat(threads.leftAfter(Duration.ofSeconds(30))).as("threads started by the end-to-end tests").isEmpty();
    }

    private JettyRouterServer startServer() throws Exception {
        server = JettyRouterServer.start(transport -> CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build())
                .quality(QualityDispatcher.builder().build())
                .agentService(agents)
                .build());
        return server;
    }

    private static String frame(Map<String, ?> message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------ the golden path

    @Test
    void goldenPathUserMessageYieldsTheFiveAgentEventsInOrderOverARealWebSocket() throws Exception {
        startServer();
        WsClient alice = fleet.connect(server.uri("alice"), "alice");
        WsClient bob = fleet.connect(server.uri("bob"), "bob");
        String content = "what is the weather in Paris";

        alice.send(frame(Map.of("type", "user_message", "payload", Map.of("content", content),
                "thread_id", "t-1", "message_id", "m-1")));

        List<JsonNode> events = alice.awaitFrames(5, TIMEOUT);
        assertThat(types(events)).containsExactlyElementsOf(FIVE_EVENTS);
        String runId = events.get(0).path("run_id").asText();
        assertThat(runId).isNotEmpty();
        for (JsonNode event : events) {
            assertThat(event.path("correlation_id").asText()).isEqualTo("m-1");
            assertThat(event.path("run_id").asText()).isEqualTo(runId);
            assertThat(event.path("agent_name").asText()).isEqualTo(ScriptedAgentService.AGENT);
            assertThat(Instant.parse(event.path("timestamp").asText())).isNotNull();
        }
        assertThat(events.get(0).at("/data/context/thread_id").asText()).isEqualTo("t-1");
        assertThat(events.get(2).at("/data/parameters/text").asText()).isEqualTo(content);
        assertThat(events.get(3).at("/data/result/words").asInt()).isEqualTo(6);
        assertThat(events.get(4).at("/data/result/words").asInt()).isEqualTo(6);

        // Exactly five: a ping queued after the run is answered right after them.
        alice.send(frame(Map.of("type", "ping", "message_id", "m-2")));
        List<JsonNode> all = alice.awaitFrames(6, TIMEOUT);
        assertThat(all.get(5).path("type").asText()).isEqualTo("pong");
        assertThat(all.get(5).path("correlation_id").asText()).isEqualTo("m-2");
        // And none of them reached bob: his first frame is the answer to his own ping.
        bob.send(frame(Map.of("type", "ping", "message_id", "b-1")));
        JsonNode first = bob.awaitFrames(1, TIMEOUT).get(0);
        assertThat(first.path("type").asText()).isEqualTo("pong");
        assertThat(first.path("correlation_id").asText()).isEqualTo("b-1");
        assertThat(agents.runs()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------ users at scale

    private static final int USERS = 10;
    private static final int CONNECTIONS_PER_USER = 5;

    /** The user a frame was meant for: the prefix of its correlation id, or {@code data.user}. */
    private static String ownerOf(JsonNode frame) {
        String correlation = frame.path("correlation_id").asText("");
        if (!correlation.isEmpty()) {
            return correlation.substring(0, correlation.indexOf('/'));
        }
        return frame.at("/data/user").asText();
    }

    /** Server-side connection id of each client, learned as each one opens. */
    private final Map<WsClient, String> connectionIds = new LinkedHashMap<>();

    private WsClient connect(String user) throws Exception {
        Set<String> before = new HashSet<>(server.connectionsOf(user));
        WsClient client = fleet.connect(server.uri(user), user);
        Await.until("a new connection of " + user + " registered", () -> !before.containsAll(server.connectionsOf(user)));
        List<String> added = new ArrayList<>(server.connectionsOf(user));
        added.removeAll(before);
        assertThat(added).as("connections opened for %s", user).hasSize(1);
        connectionIds.put(client, added.get(0));
        return client;
    }

    private Map<String, List<WsClient>> connectUsers(int users, int connectionsEach) throws Exception {
        Map<String, List<WsClient>> byUser = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            String user = "user" + u;
            List<WsClient> clients = new ArrayList<>();
            for (int c = 0; c < connectionsEach; c++) {
                clients.add(connect(user));
            }
            byUser.put(user, clients);
        }
        return byUser;
    }

    /**
     * All users at once: every connection sends {@code runs} user messages while a thread per user
     * emits {@code broadcasts} events to that user; any failure is rethrown.
     */
    private void everybodyAtOnce(Map<String, List<WsClient>> byUser, int runs, int broadcasts) throws Exception {
        List<WsClient> all = byUser.values().stream().flatMap(List::stream).collect(Collectors.toList());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                WsClient client = all.get(i);
                int index = i;
                work.add(pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < runs; r++) {
                        client.send(frame(Map.of("type", "user_message",
                                "payload", Map.of("content", client.user() + " asks question " + r),
                                "message_id", client.user() + "/c" + index + "/r" + r)));
                    }
                    return null;
                }));
            }
            for (String user : byUser.keySet()) {
                work.add(pool.submit(() -> {
                    go.await();
                    for (int b = 0; b < broadcasts; b++) {
                        server.router().emitToUser(user, "broadcast", Map.of("user", user, "seq", b));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : work) {
                f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void tenUsersWithFiveConnectionsEachEmittingAndReceivingAtOnceNeverSeeAnotherUsersFrame() throws Exception {
        startServer();
        int runs = 4;
        int broadcasts = 20;
        Map<String, List<WsClient>> byUser = connectUsers(USERS, CONNECTIONS_PER_USER);

        everybodyAtOnce(byUser, runs, broadcasts);

        int expected = CONNECTIONS_PER_USER * runs * FIVE_EVENTS.size() + broadcasts;
        java.util.concurrent.TimeoutException missing = null;
        try {
            for (WsClient client : fleet.clients()) {
                client.awaitFrames(expected, TIMEOUT);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            missing = e;
        }
        // Isolation first: a frame on the wrong user's socket is the failure to report, whatever else is missing.
        for (WsClient client : fleet.clients()) {
            assertThat(client.frames()).as("frames of a connection of %s", client.user())
                    .allSatisfy(f -> assertThat(ownerOf(f)).isEqualTo(client.user()));
        }
        if (missing != null) {
            throw missing;
        }
        for (Map.Entry<String, List<WsClient>> entry : byUser.entrySet()) {
            for (WsClient client : entry.getValue()) {
                List<JsonNode> frames = client.frames();
                assertThat(frames).hasSize(expected);
                Set<String> distinct = frames.stream()
                        .map(f -> f.path("type").asText() + "|" + f.path("correlation_id").asText() + "|" + f.at("/data/seq").asText())
                        .collect(Collectors.toSet());
                assertThat(distinct).as("no frame twice").hasSize(expected);
                assertEachRunInOrder(frames);
            }
        }
        // Nothing more came in behind the expected frames: a last ping on each connection is answered next.
        for (WsClient client : fleet.clients()) {
            client.send(frame(Map.of("type", "ping", "message_id", client.user() + "/fence")));
            JsonNode last = client.awaitFrames(expected + 1, TIMEOUT).get(expected);
            assertThat(last.path("correlation_id").asText()).isEqualTo(client.user() + "/fence");
        }
        assertThat(agents.runs()).isEqualTo(USERS * CONNECTIONS_PER_USER * runs);
        DeliveryStatistics delivery = server.router().statistics().delivery();
        assertThat(delivery.sendFailures()).isZero();
        assertThat(delivery.framesDropped()).isZero();
    }

    private static void assertEachRunInOrder(List<JsonNode> frames) {
        Map<String, List<String>> byRun = new LinkedHashMap<>();
        for (JsonNode f : frames) {
            if (f.has("run_id")) {
                byRun.computeIfAbsent(f.path("run_id").asText(), r -> new ArrayList<>()).add(f.path("type").asText());
            }
        }
        assertThat(byRun.values()).allSatisfy(types -> assertThat(types).containsExactlyElementsOf(FIVE_EVENTS));
    }

    // ------------------------------------------------------------------------------ the AI response chain

    @Test
    void startAgentRunsTheToolAndCompletesWithTheToolsResult() throws Exception {
        startServer();
        WsClient client = fleet.connect(server.uri("carol"), "carol");
        String request = "summarise the quarterly sales report";

        client.send(frame(Map.of("type", "start_agent", "payload", Map.of("user_request", request),
                "run_id", "r-42", "thread_id", "t-7", "message_id", "m-42")));

        // The quality sub-dispatcher takes start_agent: the run's five events, then its quality_update.
        List<JsonNode> all = client.awaitFrames(6, TIMEOUT);
        List<JsonNode> frames = all.subList(0, 5);
        assertThat(types(frames)).containsExactlyElementsOf(FIVE_EVENTS);
        assertThat(all.get(5).path("type").asText()).isEqualTo("quality_update");
        assertThat(all.get(5).path("correlation_id").asText()).isEqualTo("m-42");
        assertThat(all.get(5).at("/data/response_time").isNumber()).isTrue();
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.path("run_id").asText()).isEqualTo("r-42");
            assertThat(f.path("correlation_id").asText()).isEqualTo("m-42");
        });
        JsonNode executing = frames.get(2);
        JsonNode completed = frames.get(3);
        JsonNode done = frames.get(4);
        assertThat(executing.at("/data/tool_name").asText()).isEqualTo(ScriptedAgentService.TOOL);
        assertThat(executing.at("/data/parameters/text").asText()).as("the tool runs on the request").isEqualTo(request);
        assertThat(completed.at("/data/tool_name").asText()).isEqualTo(ScriptedAgentService.TOOL);
        assertThat(completed.at("/data/result/words").asInt()).as("the tool's result").isEqualTo(5);
        assertThat(done.at("/data/status").asText()).isEqualTo("completed");
        assertThat(done.at("/data/result/words")).as("the completion carries the tool's result").isEqualTo(completed.at("/data/result/words"));
        assertThat(done.at("/data/result/answer").asText()).isEqualTo("Your message has 5 words");
    }

    // ------------------------------------------------------------------------------ failing sends

    @Test
    void deliveryWhileOnePercentOfSendsFailCountsTheFailuresDropsTheFailingConnectionAndNeverMisroutes()
            throws Exception {
        AtomicReference<FaultyTransport> faulty = new AtomicReference<>();
        server = JettyRouterServer.start(transport -> {
            faulty.set(new FaultyTransport(transport, 100));
            return CanonicalMessageRouter.builder()
                    .connectionPool(ConnectionPool.builder(faulty.get()).maxConsecutiveFailures(3).build())
                    .quality(QualityDispatcher.builder().build())
                    .agentService(agents)
                    .build();
        });
        FaultyTransport transport = faulty.get();
        Map<String, List<WsClient>> byUser = connectUsers(USERS, CONNECTIONS_PER_USER - 1);
        // One more connection of user0, whose socket always fails.
        WsClient doomed = connect("user0");
        String doomedId = connectionIds.remove(doomed);
        transport.breakConnection(doomedId);

        int runs = 2;
        int broadcasts = 10;
        everybodyAtOnce(byUser, runs, broadcasts);
        int inbound = USERS * (CONNECTIONS_PER_USER - 1) * runs;
        Await.until("every run completed", () -> agents.completedRuns() == inbound);

        // The broken connection was given up after three failures, and its socket aborted by the adapter:
        // the TCP connection dropped without a close frame (the JDK client reports 1006, never sent on the wire).
        assertThat(doomed.awaitClosed(TIMEOUT)).as("the always-failing socket was aborted once the pool gave it up").isTrue();
        assertThat(doomed.closeStatus()).isEqualTo(StatusCode.ABNORMAL);
        assertThat(server.router().connectionPool().orElseThrow().ownerOf(doomedId)).isEmpty();
        assertThat(transport.forwardedTo(doomedId)).isEmpty();
        assertThat(doomed.frames()).isEmpty();

        // Fence every connection: a pong that arrives proves every earlier frame of it was sent or failed.
        for (WsClient client : connectionIds.keySet()) {
            fence(client);
        }
        for (Map.Entry<WsClient, String> e : connectionIds.entrySet()) {
            WsClient client = e.getKey();
            List<JsonNode> received = client.frames();
            List<JsonNode> handedToSocket = new ArrayList<>();
            for (String f : transport.forwardedTo(e.getValue())) {
                handedToSocket.add(MAPPER.readTree(f));
            }
            assertThat(received).as("what %s's socket got is exactly what was handed to it", client.user())
                    .isEqualTo(handedToSocket);
            assertThat(received).allSatisfy(f -> assertThat(ownerOf(f)).isEqualTo(client.user()));
        }
        DeliveryStatistics delivery = server.router().statistics().delivery();
        assertThat(transport.sends()).as("sends through the faulty transport").isGreaterThan(1000);
        assertThat(transport.failures()).isGreaterThanOrEqualTo(transport.sends() / 100);
        assertThat(delivery.sendFailures()).isEqualTo(transport.failures());
        assertThat(delivery.connectionsClosedFailing()).isEqualTo(1);
        System.out.printf("1%% failing sends: %d sends, %d failed, %d connection(s) dropped for failing%n",
                transport.sends(), transport.failures(), delivery.connectionsClosedFailing());
        Await.until("every write callback completed",
                () -> server.router().statistics().delivery().framesSent() == transport.sends() - transport.failures());
    }

    /** Pings until a pong arrives (a pong, too, may be one of the failed sends). */
    private static void fence(WsClient client) throws Exception {
        for (int i = 0; ; i++) {
            String id = client.user() + "/fence" + i;
            client.send(frame(Map.of("type", "ping", "message_id", id)));
            try {
                client.awaitFrame(f -> id.equals(f.path("correlation_id").asText()), Duration.ofSeconds(2));
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                assertThat(i).as("pings to fence %s", client.user()).isLessThan(5);
            }
        }
    }
}
