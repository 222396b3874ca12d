package io.wsrouter.compat;

import io.wsrouter.events.RecordingManager;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.quality.QualityDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Facades built over one canonical router share its handlers, connections and statistics. */
@SuppressWarnings("removal")
class SharedRouterTest {

    private final RecordingManager manager = new RecordingManager();
    private CanonicalMessageRouter canonical;
    private MessageRouter messages;
    private MessageRouter otherMessages;
    private WebSocketEventRouter events;
    private QualityMessageRouter quality;

    @BeforeEach
    void build() {
        canonical = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(manager).build())
                .quality(QualityDispatcher.builder().build())
                .build();
        messages = new MessageRouter(canonical);
        otherMessages = new MessageRouter(canonical);
        events = new WebSocketEventRouter(canonical);
        quality = new QualityMessageRouter(canonical);
    }

    @AfterEach
    void close() {
        canonical.close();
    }

    @Test
    void aHandlerAddedThroughOneFacadeServesMessagesRoutedThroughAnother() {
        messages.addHandler(NamedHandler.claiming("Bridge", "user_message"));
        events.registerConnection("alice", "a1", null);

        assertThat(otherMessages.getHandlerOrder()).startsWith("Bridge");
        assertThat(canonical.handlerOrder()).isEqualTo(otherMessages.getHandlerOrder());
        assertThat(otherMessages.routeMessage("alice", "a1", Map.of("type", "user_message"))).isTrue();
        assertThat(manager.last("a1").at("/data/handler").asText()).isEqualTo("Bridge");

        assertThat(otherMessages.removeHandler(canonical.handlers().get(0))).isTrue();
        assertThat(messages.getHandlerOrder()).doesNotContain("Bridge");
    }

    @Test
    void aConnectionRegisteredThroughTheEventFacadeGetsTheRepliesOfTheMessageFacade() {
        events.registerConnection("alice", "a1", "t-1");

        assertThat(messages.routeMessage("alice", "a1", Map.of("type", "ping"))).isTrue();
        assertThat(events.routeEvent("alice", "a1", Map.of("type", "agent_started"))).isTrue();

        List<JsonNode> frames = manager.jsonOf("a1");
        assertThat(frames).extracting(f -> f.get("type").asText()).containsExactly("pong", "agent_started");
    }

    @Test
    void ownershipIsSharedSoAnotherUserIsRefusedThroughEveryFacade() {
        events.registerConnection("alice", "a1", null);

        assertThat(messages.routeMessage("bob", "a1", Map.of("type", "ping"))).isFalse();
        assertThat(events.routeEvent("bob", "a1", Map.of("type", "x"))).isFalse();
        assertThat(events.registerConnection("bob", "a1", null)).isFalse();

        assertThat(manager.total()).isZero();
        // The routed message and the registration are both refused at admission; the raw event never reaches the router.
        assertThat(messages.getStats().get("rejections_by_code")).isEqualTo(Map.of(ErrorCode.FORBIDDEN.name(), 2L));
    }

    @Test
    void aConnectionThatSentAMessageIsListedByTheEventFacadeAndADisconnectRemovesIt() {
        assertThat(messages.routeMessage("alice", "a1", Map.of("type", "connect"))).isTrue();
        assertThat(events.getUserConnections("alice")).containsExactly("a1");

        assertThat(messages.routeMessage("alice", "a1", Map.of("type", "disconnect"))).isTrue();

        assertThat(events.getUserConnections("alice")).isEmpty();
        assertThat(manager.last("a1").at("/data/status").asText()).isEqualTo("disconnect_acknowledged");
    }

    @Test
    void theQualityFacadeSharesTheSubscribersConnectionsAndFiguresOfTheOthers() {
        events.registerConnection("alice", "a1", null);
        events.registerConnection("bob", "b1", null);

        assertThat(messages.routeMessage("alice", "a1", Map.of("type", "subscribe_quality_alerts"))).isTrue();
        assertThat(manager.last("a1").get("type").asText()).isEqualTo("quality_alerts_subscribed");
        quality.broadcastQualityAlert(Map.of("message", "quality dropped"));
        quality.handleMessage("alice", Map.of("type", "ping"));

        assertThat(manager.jsonOf("a1")).extracting(f -> f.get("type").asText())
                .containsExactly("quality_alerts_subscribed", "quality_alert", "pong");
        assertThat(manager.framesOf("b1")).isEmpty();
        assertThat(messages.getStats()).containsEntry("quality_messages", 1L).containsEntry("messages_routed", 2L)
                .containsEntry("quality_handlers_active", 5);
        assertThat(canonical.qualityDispatcher()).isPresent();
    }

    @Test
    void everyFacadeReportsTheSameFigures() {
        events.registerConnection("alice", "a1", null);
        events.registerConnection("alice", "a2", null);
        events.registerConnection("bob", "b1", null);
        messages.routeMessage("alice", "a1", Map.of("type", "ping"));
        otherMessages.routeMessage("bob", "b1", Map.of("type", "foo_bar"));

        Map<String, Object> one = messages.getStats();
        Map<String, Object> other = otherMessages.getStats();
        Map<String, Object> pool = events.getStats();

        assertThat(one).containsEntry("messages_routed", 2L).containsEntry("unhandled_messages", 1L);
        assertThat(other).containsEntry("messages_routed", 2L).containsEntry("unhandled_messages", 1L)
                .containsEntry("active_connections", 3).containsEntry("connected_users", 2);
        assertThat(pool).containsEntry("total_connections", 3).containsEntry("total_users", 2);
        assertThat(canonical.statistics().messagesRouted()).isEqualTo(2);
    }

    @Test
    void facadesSharedByManyThreadsKeepEveryUsersFramesToThatUser() throws Exception {
        int users = 8;
        int messagesPerUser = 200;
        ExecutorService pool = Executors.newFixedThreadPool(users);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                String user = "user-" + u;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int c = 0; c < 3; c++) {
                        assertThat(events.registerConnection(user, user + "/c" + c, null)).isTrue();
                    }
                    for (int i = 0; i < messagesPerUser; i++) {
                        assertThat(messages.routeMessage(user, user + "/c" + (i % 3), Map.of("type", "ping"))).isTrue();
                        if (i % 50 == 0) {
                            assertThat(events.broadcastToUser(user, Map.of("type", "tick", "user", user))).isEqualTo(3);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(messages.getStats()).containsEntry("messages_routed", (long) users * messagesPerUser);
        assertThat(events.getStats()).containsEntry("total_connections", users * 3).containsEntry("total_users", users);
        for (int u = 0; u < users; u++) {
            String user = "user-" + u;
            for (int c = 0; c < 3; c++) {
                List<JsonNode> frames = manager.jsonOf(user + "/c" + c);
                assertThat(frames).hasSizeGreaterThan(0).allSatisfy(f -> assertThat(
                        f.get("type").asText().equals("pong") ? f.at("/data/user_id").asText() : f.get("user").asText())
                        .isEqualTo(user));
            }
        }
    }
}
