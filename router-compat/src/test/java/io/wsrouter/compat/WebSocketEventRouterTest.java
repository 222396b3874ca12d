package io.wsrouter.compat;

import io.wsrouter.events.RecordingManager;
import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The legacy {@code WebSocketEventRouter} contract, over a canonical router with a real pool. */
@SuppressWarnings("removal")
class WebSocketEventRouterTest {

    private final RecordingManager manager = new RecordingManager();
    private final MutableClock clock = new MutableClock();
    private CanonicalMessageRouter canonical;
    private WebSocketEventRouter events;

    @BeforeEach
    void build() {
        ConnectionPool pool = ConnectionPool.builder(manager).clock(clock).maxConnectionsPerUser(3).build();
        canonical = CanonicalMessageRouter.builder().connectionPool(pool).clock(clock).build();
        events = new WebSocketEventRouter(canonical);
    }

    @AfterEach
    void close() {
        canonical.close();
    }

    private static Map<String, Object> event(String type) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("run_id", "r-1");
        e.put("data", Map.of("reasoning", "thinking hard"));
        return e;
    }

    @Test
    void registerConnectionGivesTheConnectionToTheUser() {
        assertThat(events.registerConnection("alice", "a1", "thread-1")).isTrue();
        assertThat(events.registerConnection("alice", "a2", null)).isTrue();

        assertThat(events.getUserConnections("alice")).containsExactly("a1", "a2");
        assertThat(canonical.connectionPool().orElseThrow().ownerOf("a1")).contains("alice");
    }

    @Test
    void registeringTheSameConnectionTwiceKeepsItOnce() {
        assertThat(events.registerConnection("alice", "a1", "t-1")).isTrue();
        assertThat(events.registerConnection("alice", "a1", "t-2")).isTrue();

        assertThat(events.getUserConnections("alice")).containsExactly("a1");
        assertThat(events.getStats()).containsEntry("total_connections", 1);
        assertThat(events.broadcastToUser("alice", event("agent_started"))).isEqualTo(1);
    }

    @Test
    void anotherUserCannotRegisterAConnectionThatIsTaken() {
        events.registerConnection("alice", "a1", null);

        assertThat(events.registerConnection("bob", "a1", null)).isFalse();

        assertThat(events.getUserConnections("bob")).isEmpty();
        assertThat(events.getUserConnections("alice")).containsExactly("a1");
    }

    @Test
    void registrationPastTheUsersLimitIsRefused() {
        for (String id : List.of("a1", "a2", "a3")) {
            assertThat(events.registerConnection("alice", id, null)).isTrue();
        }

        assertThat(events.registerConnection("alice", "a4", null)).isFalse();
    }

    @Test
    void unregisterConnectionReturnsWhetherItWasRegistered() {
        events.registerConnection("alice", "a1", null);

        assertThat(events.unregisterConnection("a1")).isTrue();
        assertThat(events.unregisterConnection("a1")).isFalse();
        assertThat(events.unregisterConnection("never")).isFalse();
        assertThat(events.getUserConnections("alice")).isEmpty();
        assertThat(events.routeEvent("alice", "a1", event("agent_started"))).isFalse();
    }

    @Test
    void routeEventSendsTheEventUnchangedToTheOwnersConnection() {
        events.registerConnection("alice", "a1", null);
        events.registerConnection("alice", "a2", null);

        assertThat(events.routeEvent("alice", "a1", event("agent_thinking"))).isTrue();

        assertThat(manager.framesOf("a1"))
                .containsExactly("{\"type\":\"agent_thinking\",\"run_id\":\"r-1\",\"data\":{\"reasoning\":\"thinking hard\"}}");
        assertThat(manager.framesOf("a2")).isEmpty();
    }

    @Test
    void routeEventIsRefusedWhenTheUserDoesNotOwnTheConnection() {
        events.registerConnection("alice", "a1", null);
        events.registerConnection("bob", "b1", null);

        assertThat(events.routeEvent("bob", "a1", event("agent_thinking"))).isFalse();
        assertThat(events.routeEvent("alice", "b1", event("agent_thinking"))).isFalse();
        assertThat(events.routeEvent("alice", "unknown", event("agent_thinking"))).isFalse();

        assertThat(manager.total()).isZero();
        assertThat(canonical.connectionPool().orElseThrow().ownerOf("a1")).contains("alice");
    }

    @Test
    void routeEventRefusesAnEventJacksonCannotSerialize() {
        events.registerConnection("alice", "a1", null);
        Map<String, Object> bad = event("agent_thinking");
        bad.put("data", new Object());

        assertThatIllegalArgumentException().isThrownBy(() -> events.routeEvent("alice", "a1", bad))
                .withMessageContaining("cannot be serialized");
        assertThat(manager.total()).isZero();
    }

    @Test
    void broadcastToUserReturnsTheNumberOfConnectionsReached() {
        events.registerConnection("alice", "a1", null);
        events.registerConnection("alice", "a2", null);
        events.registerConnection("bob", "b1", null);

        assertThat(events.broadcastToUser("alice", event("agent_completed"))).isEqualTo(2);
        assertThat(events.broadcastToUser("nobody", event("agent_completed"))).isZero();

        assertThat(manager.framesOf("a1")).isEqualTo(manager.framesOf("a2")).hasSize(1);
        assertThat(manager.last("a1").get("type").asText()).isEqualTo("agent_completed");
        assertThat(manager.framesOf("b1")).isEmpty();
    }

    @Test
    void getUserConnectionsListsOnlyLiveConnections() {
        events.registerConnection("alice", "a1", null);
        events.registerConnection("alice", "a2", null);
        events.registerConnection("alice", "a3", null);
        events.unregisterConnection("a2");

        assertThat(events.getUserConnections("alice")).containsExactly("a1", "a3");
        assertThat(events.getUserConnections("nobody")).isEmpty();
    }

    @Test
    void cleanupStaleConnectionsRemovesThoseIdlePastThreeHundredSeconds() {
        events.registerConnection("alice", "stale", null);
        events.registerConnection("bob", "stale-too", null);
        clock.advance(Duration.ofSeconds(200));
        events.registerConnection("alice", "fresh", null);
        clock.advance(Duration.ofSeconds(101));

        assertThat(events.cleanupStaleConnections()).isEqualTo(2);

        assertThat(events.getUserConnections("alice")).containsExactly("fresh");
        assertThat(events.getUserConnections("bob")).isEmpty();
        assertThat(events.cleanupStaleConnections()).isZero();
    }

    @Test
    void idlenessCountsWholeDaysUnlikeTheLegacySecondsField() {
        events.registerConnection("alice", "a1", null);
        // Legacy compared timedelta.seconds, which is 10 for one day and 10 s: such a connection looked active.
        clock.advance(Duration.ofDays(1).plusSeconds(10));

        assertThat(events.cleanupStaleConnections()).isEqualTo(1);
    }

    @Test
    void anInboundMessageKeepsAConnectionActive() {
        events.registerConnection("alice", "a1", null);
        clock.advance(Duration.ofSeconds(250));
        canonical.routeMessage("alice", "a1", "{\"type\":\"heartbeat\"}");
        clock.advance(Duration.ofSeconds(250));

        assertThat(events.cleanupStaleConnections()).isZero();
        assertThat(events.getUserConnections("alice")).containsExactly("a1");
    }

    @Test
    void getStatsCountsUsersAndConnections() {
        assertThat(events.getStats()).isEqualTo(Map.of("total_users", 0, "total_connections", 0, "active_connections", 0,
                "connections_per_user", Map.of()));
        events.registerConnection("alice", "a1", null);
        events.registerConnection("alice", "a2", null);
        events.registerConnection("bob", "b1", null);

        assertThat(events.getStats()).isEqualTo(Map.of("total_users", 2, "total_connections", 3, "active_connections", 3,
                "connections_per_user", Map.of("alice", 2, "bob", 1)));

        events.unregisterConnection("b1");
        assertThat(events.getStats()).isEqualTo(Map.of("total_users", 1, "total_connections", 2, "active_connections", 2,
                "connections_per_user", Map.of("alice", 2)));
    }

    @Test
    void overARouterWithoutAPoolNothingIsRegisteredOrSent() {
        WebSocketEventRouter poolless = new WebSocketEventRouter(CanonicalMessageRouter.builder().build());

        assertThat(poolless.registerConnection("alice", "a1", null)).isFalse();
        assertThat(poolless.routeEvent("alice", "a1", event("x"))).isFalse();
        assertThat(poolless.broadcastToUser("alice", event("x"))).isZero();
        assertThat(poolless.getUserConnections("alice")).isEmpty();
        assertThat(poolless.cleanupStaleConnections()).isZero();
        assertThat(poolless.unregisterConnection("a1")).isFalse();
        assertThat(poolless.getStats()).isEqualTo(Map.of("total_users", 0, "total_connections", 0, "active_connections", 0,
                "connections_per_user", Map.of()));
    }

    @Test
    void theLegacyConstructorBuildsAPoolOverTheManager() {
        RecordingManager own = new RecordingManager();
        WebSocketEventRouter legacy = new WebSocketEventRouter(own);
        try {
            assertThat(legacy.registerConnection("alice", "a1", "t-1")).isTrue();
            assertThat(legacy.routeEvent("alice", "a1", event("agent_started"))).isTrue();

            assertThat(own.last("a1").get("type").asText()).isEqualTo("agent_started");
            assertThat(legacy.canonical().connectionPool()).isPresent();
            assertThat(legacy.canonical()).isNotSameAs(canonical);
        } finally {
            legacy.canonical().close();
        }
    }

    @Test
    void constructorsAndMethodsRefuseNulls() {
        assertThatNullPointerException().isThrownBy(() -> new WebSocketEventRouter((WebSocketManager) null))
                .withMessage("manager");
        assertThatNullPointerException().isThrownBy(() -> new WebSocketEventRouter((CanonicalMessageRouter) null))
                .withMessage("canonical");
        assertThatNullPointerException().isThrownBy(() -> events.registerConnection(null, "a1", null));
        assertThatNullPointerException().isThrownBy(() -> events.routeEvent("alice", "a1", null)).withMessage("event");
        assertThatNullPointerException().isThrownBy(() -> events.broadcastToUser(null, event("x"))).withMessage("userId");
        assertThatNullPointerException().isThrownBy(() -> events.getUserConnections(null)).withMessage("userId");
    }
}
