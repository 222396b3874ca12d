package io.wsrouter.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.compat.MessageRouter;
import io.wsrouter.compat.QualityMessageRouter;
import io.wsrouter.compat.WebSocketEventRouter;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.RoutingStatistics;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.quality.ContentType;
import io.wsrouter.quality.QualityDispatcher;
import io.wsrouter.quality.QualityMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The integration three of the SSOT suite. */
@Tag("ssot")
@SuppressWarnings("removal")   // the legacy facades are deprecated for removal: that is what is tested here
class SsotIntegrationTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ------------------------------------------------------------------------------ isolation under concurrency

    /** The user a frame was meant for: {@code data.user}, else the prefix of its correlation id. */
    private static String ownerOf(JsonNode frame) {
        String user = frame.at("/data/user").asText("");
        if (!user.isEmpty()) {
            return user;
        }
        String correlation = frame.path("correlation_id").asText();
        return correlation.substring(0, correlation.indexOf('/'));
    }

    @Test
    void usersStayIsolatedThroughThePoolWhileManyThreadsRegisterRouteAndEmitAtOnce() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).maxQueuedFrames(10_000).build())
                .build();
        toClose.add(router);
        int users = 48;
        int connectionsEach = 4;
        int emits = 30;
        int pings = 5;
        int contested = 24;
        int threads = 12;
        // Contested ids: two users race to register each; exactly one may own it.
        Map<String, List<String>> winners = new ConcurrentHashMap<>();
        AtomicInteger forbiddenRoutes = new AtomicInteger();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(pool.submit(() -> {
                go.await();
                for (int u = thread; u < users; u += threads) {
                    String user = "u" + u;
                    for (int c = 0; c < connectionsEach; c++) {
                        assertThat(router.registerConnection(user, user + "-c" + c)).isTrue();
                    }
                    for (int i = 0; i < Math.max(emits, pings); i++) {
                        if (i < emits) {
                            assertThat(router.emitToUserCount(user, "tick", Map.of("user", user, "seq", i)))
                                    .isEqualTo(connectionsEach);
                        }
                        if (i < pings) {
                            for (int c = 0; c < connectionsEach; c++) {
                                assertThat(router.routeMessage(user, user + "-c" + c,
                                        "{\"type\":\"ping\",\"message_id\":\"" + user + "/p" + i + "\"}")).isTrue();
                            }
                        }
                    }
                }
                for (int k = thread; k < contested * 2; k += threads) {
                    String id = "shared-" + (k / 2);
                    String user = "racer" + (k % 2);
                    if (router.registerConnection(user, id)) {
                        winners.computeIfAbsent(id, x -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(user);
                    }
                    // Both racers then send and emit as if they owned it.
                    if (!router.routeMessage(user, id, "{\"type\":\"ping\",\"message_id\":\"" + user + "/" + id + "\"}")) {
                        forbiddenRoutes.incrementAndGet();
                    }
                    router.emitToUser(user, "tick", Map.of("user", user, "seq", -1));
                }
                return null;
            }));
        }
        go.countDown();
        try {
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        ConnectionPool connections = (ConnectionPool) router.connectionPool().orElseThrow();
        for (int u = 0; u < users; u++) {
            String user = "u" + u;
            for (int c = 0; c < connectionsEach; c++) {
                String id = user + "-c" + c;
                List<JsonNode> frames = transport.framesOf(id);
                assertThat(frames).as(id).allSatisfy(f -> assertThat(ownerOf(f)).isEqualTo(user));
                assertThat(frames.stream().filter(f -> f.path("type").asText().equals("tick")).count()).as(id).isEqualTo(emits);
                // Replies go to the sending connection only.
                assertThat(frames.stream().filter(f -> f.path("type").asText().equals("pong")).count()).as(id).isEqualTo(pings);
            }
        }
        assertThat(winners).hasSize(contested);
        for (Map.Entry<String, List<String>> e : winners.entrySet()) {
            assertThat(e.getValue()).as("owners of %s", e.getKey()).hasSize(1);
            String owner = e.getValue().get(0);
            assertThat(connections.ownerOf(e.getKey())).contains(owner);
            assertThat(transport.framesOf(e.getKey())).as(e.getKey()).allSatisfy(f -> assertThat(ownerOf(f)).isEqualTo(owner));
        }
        RoutingStatistics stats = router.statistics();
        assertThat(forbiddenRoutes.get()).isEqualTo(contested);
        // Each loser was refused twice: its registration and its frame.
        assertThat(stats.rejectionsByCode()).containsEntry(ErrorCode.FORBIDDEN.name(), 2L * contested);
        assertThat(stats.activeConnections()).isEqualTo(users * connectionsEach + contested);
        assertThat(stats.delivery().framesDropped()).isZero();
    }

    // ------------------------------------------------------------------------------ quality alerts and agent events

    private static long count(List<JsonNode> frames, String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).count();
    }

    @Test
    void qualityAlertsReachSubscribersOnlyWhileAgentEventsReachOnlyTheirRunsUser() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        ScriptedAgentService agents = new ScriptedAgentService();
        QualityDispatcher quality = QualityDispatcher.builder().build();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).maxQueuedFrames(10_000).build())
                .quality(quality)
                .agentService(agents)
                .build();
        toClose.add(router);
        for (String[] c : new String[][] {{"alice", "a1"}, {"alice", "a2"}, {"bob", "b1"}, {"carol", "c1"}}) {
            assertThat(router.registerConnection(c[0], c[1])).isTrue();
        }
        assertThat(router.routeMessage("alice", "a1", "{\"type\":\"subscribe_quality_alerts\"}")).isTrue();
        assertThat(router.routeMessage("carol", "c1", "{\"type\":\"subscribe_quality_alerts\",\"payload\":{\"action\":\"subscribe\"}}")).isTrue();
        assertThat(router.routeMessage("carol", "c1", "{\"type\":\"subscribe_quality_alerts\",\"payload\":{\"action\":\"unsubscribe\"}}")).isTrue();
        transport.clear();

        int runs = 20;
        int alerts = 20;
        int failingAgents = 5;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        work.add(pool.submit(() -> {   // bob runs agents through the quality dispatcher's start_agent
            go.await();
            for (int i = 0; i < runs; i++) {
                assertThat(router.routeMessage("bob", "b1", "{\"type\":\"start_agent\",\"payload\":{\"user_request\":\"plan it\"},"
                        + "\"message_id\":\"bob/s" + i + "\"}")).isTrue();
            }
            return null;
        }));
        work.add(pool.submit(() -> {   // alice chats through the handler chain
            go.await();
            for (int i = 0; i < runs; i++) {
                assertThat(router.routeMessage("alice", "a2", "{\"type\":\"user_message\",\"payload\":{\"content\":\"hi\"},"
                        + "\"message_id\":\"alice/u" + i + "\"}")).isTrue();
            }
            return null;
        }));
        work.add(pool.submit(() -> {   // the host broadcasts alerts
            go.await();
            for (int i = 0; i < alerts; i++) {
                quality.broadcastQualityAlert(Map.of("message", "drift", "seq", i));
            }
            return null;
        }));
        work.add(pool.submit(() -> {   // the monitor raises its own: a critical failure per agent
            go.await();
            for (int i = 0; i < failingAgents; i++) {
                quality.monitoring().recordQualityEvent("planner" + i, ContentType.GENERAL,
                        QualityMetrics.builder().overallScore(0.05).build());
            }
            return null;
        }));
        go.countDown();
        try {
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        int raised = quality.monitoring().recentAlerts(100).size();
        assertThat(raised).isEqualTo(failingAgents);

        for (String connection : List.of("a1", "a2")) {
            List<JsonNode> frames = transport.framesOf(connection);
            assertThat(count(frames, "quality_alert")).as("alerts on %s", connection).isEqualTo(alerts + raised);
            List<JsonNode> events = frames.stream()
                    .filter(f -> ScriptedAgentService.FIVE_EVENTS.contains(f.path("type").asText()))
                    .collect(java.util.stream.Collectors.toList());
            assertThat(events).hasSize(runs * ScriptedAgentService.FIVE_EVENTS.size())
                    .allSatisfy(f -> assertThat(f.path("correlation_id").asText()).startsWith("alice/"));
        }
        List<JsonNode> bob = transport.framesOf("b1");
        assertThat(count(bob, "quality_alert")).as("alerts to bob, who never subscribed").isZero();
        assertThat(bob).allSatisfy(f -> assertThat(f.path("correlation_id").asText()).startsWith("bob/"));
        assertThat(bob.stream().filter(f -> ScriptedAgentService.FIVE_EVENTS.contains(f.path("type").asText())))
                .hasSize(runs * ScriptedAgentService.FIVE_EVENTS.size());
        assertThat(count(bob, "quality_update")).as("one reply per start_agent").isEqualTo(runs);
        assertThat(transport.framesOf("c1")).as("carol unsubscribed and ran nothing").isEmpty();
        assertThat(router.statistics().qualityMessages()).isEqualTo(3 + runs);
        assertThat(quality.monitoring().subscribers()).containsExactly("alice");
    }

    // ------------------------------------------------------------------------------ facades share one router

    /** Answers {@code shout} with {@code shouted}. */
    private static final class Shout implements MessageHandler {
        @Override
        public Set<String> messageTypes() {
            return Set.of("shout");
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            return context.reply("shouted", Map.of("by", context.userId()));
        }
    }

    private static Map<String, Object> map(String type, Object... payload) {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        for (int i = 0; i < payload.length; i += 2) {
            p.put((String) payload[i], payload[i + 1]);
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("type", type);
        m.put("payload", p);
        return m;
    }

    @Test
    void facadesOverOneCanonicalRouterShareHandlersConnectionsAndStatistics() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        QualityDispatcher qualityDispatcher = QualityDispatcher.builder().build();
        CanonicalMessageRouter canonical = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build())
                .quality(qualityDispatcher)
                .build();
        toClose.add(canonical);
        MessageRouter legacy = new MessageRouter(canonical);
        QualityMessageRouter quality = new QualityMessageRouter(canonical);
        WebSocketEventRouter events = new WebSocketEventRouter(canonical);

        // Connections registered through the event facade are the ones every facade routes and sends to.
        assertThat(events.registerConnection("alice", "a1", "t-1")).isTrue();
        assertThat(events.registerConnection("alice", "a2", "t-1")).isTrue();
        assertThat(events.registerConnection("bob", "b1", null)).isTrue();
        assertThat(canonical.statistics().activeConnections()).isEqualTo(3);
        assertThat(legacy.getStats()).containsEntry("active_connections", 3).containsEntry("connected_users", 2);
        assertThat(events.getUserConnections("alice")).containsExactly("a1", "a2");

        // A handler added through one facade serves messages arriving through every other entry.
        Shout shout = new Shout();
        legacy.addHandler(shout);
        assertThat(canonical.handlerOrder()).startsWith("Shout").isEqualTo(legacy.getHandlerOrder());
        assertThat(legacy.routeMessage("alice", "a1", map("shout"))).isTrue();
        quality.handleMessage("bob", map("shout"));
        assertThat(canonical.routeMessage("alice", "a2", "{\"type\":\"shout\"}")).isTrue();
        assertThat(transport.typesOf("a1")).containsExactly("shouted");
        assertThat(transport.typesOf("a2")).containsExactly("shouted");
        assertThat(transport.typesOf("b1")).containsExactly("shouted");

        // The quality messages that arrive through the legacy router reach the canonical router's dispatcher,
        // and a broadcast through the quality facade reaches the connection the event facade registered.
        assertThat(legacy.routeMessage("alice", "a1", map("subscribe_quality_alerts", "action", "subscribe"))).isTrue();
        assertThat(qualityDispatcher.monitoring().subscribers()).containsExactly("alice");
        quality.broadcastQualityAlert(Map.of("message", "drift"));
        assertThat(transport.typesOf("a1")).endsWith("quality_alerts_subscribed", "quality_alert");
        assertThat(transport.typesOf("a2")).endsWith("quality_alert");
        assertThat(transport.typesOf("b1")).doesNotContain("quality_alert");

        // One set of figures, whoever is asked.
        RoutingStatistics stats = canonical.statistics();
        assertThat(stats.messagesRouted()).isEqualTo(4);
        assertThat(stats.qualityMessages()).isEqualTo(1);
        assertThat(stats.handlerStatistics().get("Shout").handled()).isEqualTo(3);
        Map<String, Object> legacyStats = legacy.getStats();
        assertThat(legacyStats).containsEntry("messages_routed", 4L).containsEntry("quality_messages", 1L);
        assertThat(legacyStats.get("handler_stats")).isEqualTo(stats.toMap().get("handler_stats"));
        assertThat(events.getStats()).containsEntry("total_connections", 3).containsEntry("total_users", 2);

        // Removed through the canonical router: gone for every facade. Closed through one: gone for all.
        assertThat(canonical.removeCustomHandler(shout)).isTrue();
        assertThat(legacy.getHandlerOrder()).doesNotContain("Shout");
        assertThat(legacy.removeHandler(shout)).isFalse();
        assertThat(events.unregisterConnection("a2")).isTrue();
        assertThat(canonical.emitToUserCount("alice", "notice", Map.of())).isEqualTo(1);
        assertThat(legacy.getStats()).containsEntry("active_connections", 2);
        assertThat(events.broadcastToUser("alice", Map.of("type", "raw"))).isEqualTo(1);
        assertThat(canonical.statistics().delivery().framesSent()).isEqualTo(transport.sends());
    }
}
