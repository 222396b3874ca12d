package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.DeliveryStatistics;
import io.wsrouter.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transport faults seen through the router ({@code CanonicalMessageRouter.builder().connectionPool(pool)}):
 * a {@link WebSocketManager} that throws, returns null or fails its future, and connections that go
 * away while frames wait for them. What a fault may cost is its own connection, never the caller
 * (routing, emitting) nor another connection.
 */
class ConnectionFaultTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PING = "{\"type\":\"ping\"}";

    private final RecordingManager manager = new RecordingManager();
    private final List<String> removed = new CopyOnWriteArrayList<>();
    /** Stages handed out by {@link #byHand()}, oldest first, for the test to complete. */
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();
    private CanonicalMessageRouter router;
    private ConnectionPool pool;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
    }

    private void build(ConnectionPool.Builder builder) {
        pool = builder.build();
        pool.addListener((user, conn, reason) -> removed.add(user + "/" + conn));
        router = CanonicalMessageRouter.builder().connectionPool(pool).build();
        assertThat(router.registerConnection("alice", "a-bad")).isTrue();
        assertThat(router.registerConnection("alice", "a-good")).isTrue();
        assertThat(router.registerConnection("bob", "b1")).isTrue();
    }

    /** A behaviour whose stages stay open until the test completes them (oldest first). */
    private BiFunction<String, String, CompletionStage<Void>> byHand() {
        return (id, frame) -> {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            pending.add(stage);
            return stage;
        };
    }

    private static String type(String frame) throws Exception {
        return MAPPER.readTree(frame).get("type").asText();
    }

    private static List<String> types(List<String> frames) throws Exception {
        List<String> types = new ArrayList<>();
        for (String f : frames) {
            types.add(type(f));
        }
        return types;
    }

    private DeliveryStatistics delivery() {
        return router.statistics().delivery();
    }

    // ------------------------------------------------------------------ a manager that fails

    enum Fault {
        THROWS_RUNTIME_EXCEPTION,
        THROWS_NON_FATAL_ERROR,
        RETURNS_NULL,
        RETURNS_A_FAILED_FUTURE,
        FAILS_ITS_FUTURE_LATER
    }

    private BiFunction<String, String, CompletionStage<Void>> behaviour(Fault fault) {
        return switch (fault) {
            case THROWS_RUNTIME_EXCEPTION -> (id, f) -> {
                throw new IllegalStateException("socket closed");
            };
            case THROWS_NON_FATAL_ERROR -> (id, f) -> {
                throw new AssertionError("transport bug");
            };
            case RETURNS_NULL -> (id, f) -> null;
            case RETURNS_A_FAILED_FUTURE -> (id, f) -> CompletableFuture.failedFuture(new IllegalStateException("reset"));
            case FAILS_ITS_FUTURE_LATER -> byHand();
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void aFailingTransportIsCountedRemovedAtTheBoundAndHarmsNoOtherConnection(Fault fault) throws Exception {
        manager.on("a-bad", behaviour(fault));
        build(ConnectionPool.builder(manager).maxConsecutiveFailures(3));

        // Three frames for a-bad: the pong of its ping and two events to alice. Nothing throws.
        assertThatCode(() -> assertThat(router.routeMessage("alice", "a-bad", PING)).isTrue()).doesNotThrowAnyException();
        assertThatCode(() -> assertThat(router.emitToUserCount("alice", "agent_thinking", Map.of("step", 1))).isEqualTo(2))
                .doesNotThrowAnyException();
        assertThat(router.emitToUserCount("alice", "agent_thinking", Map.of("step", 2))).isEqualTo(2);
        if (fault == Fault.FAILS_ITS_FUTURE_LATER) {
            assertThat(delivery().sendFailures()).isZero();
            assertThat(delivery().framesQueued()).isEqualTo(2);   // behind the pong in flight
            for (int n = 0; n < 3; n++) {
                pending.remove().completeExceptionally(new IllegalStateException("broken pipe"));
            }
        }

        DeliveryStatistics stats = delivery();
        assertThat(stats.sendFailures()).isEqualTo(3);
        assertThat(stats.connectionsClosedFailing()).isEqualTo(1);
        assertThat(stats.framesQueued()).isZero();
        assertThat(stats.framesSent()).isEqualTo(2);   // the two events on a-good
        assertThat(pool.ownerOf("a-bad")).isEmpty();
        assertThat(removed).containsExactly("alice/a-bad");
        assertThat(types(manager.framesOf("a-bad"))).containsExactly("pong", "agent_thinking", "agent_thinking");
        assertThat(pending).isEmpty();

        // Afterwards: alice's other connection and bob are served as before.
        assertThat(router.emitToUserCount("alice", "agent_thinking", Map.of("step", 3))).isEqualTo(1);
        assertThat(router.routeMessage("bob", "b1", PING)).isTrue();
        assertThat(types(manager.framesOf("a-good"))).containsExactly("agent_thinking", "agent_thinking", "agent_thinking");
        assertThat(types(manager.framesOf("b1"))).containsExactly("pong");
        assertThat(manager.framesOf("a-bad")).hasSize(3);
        assertThat(router.statistics().activeConnections()).isEqualTo(2);
        assertThat(delivery().framesSent()).isEqualTo(4);
    }

    @Test
    void aFatalErrorFromTheManagerPropagatesGivesTheConnectionUpAndTheOthersStillGetTheFrame() throws Exception {
        manager.on("a-bad", (id, f) -> {
            throw new OutOfMemoryError("simulated");
        });
        build(ConnectionPool.builder(manager));

        assertThatThrownBy(() -> router.emitToUserCount("alice", "agent_thinking", Map.of("step", 1)))
                .isInstanceOf(OutOfMemoryError.class);

        assertThat(pool.ownerOf("a-bad")).isEmpty();
        assertThat(removed).containsExactly("alice/a-bad");
        assertThat(delivery().sendFailures()).isEqualTo(1);
        assertThat(delivery().connectionsClosedFailing()).isEqualTo(1);
        // The same emit still reached alice's healthy connection, which keeps working.
        assertThat(types(manager.framesOf("a-good"))).containsExactly("agent_thinking");
        assertThat(router.emitToUserCount("alice", "agent_thinking", Map.of("step", 2))).isEqualTo(1);
        assertThat(manager.framesOf("a-good")).hasSize(2);
        assertThat(delivery().framesQueued()).isZero();
    }

    // ------------------------------------------------------------------ connections that go while frames wait

    @Test
    void framesQueuedForAConnectionTheTransportClosedStillLeaveInOrderWhileTheRouterServesOthers() throws Exception {
        manager.on("a-bad", byHand());
        build(ConnectionPool.builder(manager));
        for (int step = 0; step < 4; step++) {
            assertThat(router.emitToUserCount("alice", "agent_thinking", Map.of("step", step))).isEqualTo(2);
        }
        assertThat(delivery().framesQueued()).isEqualTo(3);   // the first is in flight

        assertThat(router.unregisterConnection("a-bad")).isTrue();

        assertThat(removed).containsExactly("alice/a-bad");
        assertThat(pool.ownerOf("a-bad")).isEmpty();
        assertThat(router.emitToUserCount("alice", "agent_completed", Map.of())).isEqualTo(1);
        // While its frames wait, the id stays alice's: bob presenting it is refused, nothing is written for him.
        assertThat(router.routeMessage("bob", "a-bad", PING)).isFalse();
        assertThat(router.statistics().rejectionsByCode()).containsEntry(ErrorCode.FORBIDDEN.name(), 1L);
        // The router keeps routing for everybody else.
        assertThat(router.routeMessage("bob", "b1", PING)).isTrue();
        assertThat(router.routeMessage("alice", "a-good", PING)).isTrue();
        assertThat(types(manager.framesOf("b1"))).containsExactly("pong");

        while (!pending.isEmpty()) {
            pending.remove().complete(null);   // each completion hands the next queued frame over
        }

        List<String> left = manager.framesOf("a-bad");
        assertThat(left).hasSize(4);
        for (int step = 0; step < 4; step++) {
            JsonNode frame = MAPPER.readTree(left.get(step));
            assertThat(frame.get("type").asText()).isEqualTo("agent_thinking");
            assertThat(frame.at("/data/step").asInt()).isEqualTo(step);
        }
        DeliveryStatistics stats = delivery();
        assertThat(stats.framesQueued()).isZero();
        assertThat(stats.framesDropped()).isZero();
        assertThat(stats.sendFailures()).isZero();
        assertThat(stats.framesSent()).isEqualTo(4 + 4 + 1 + 2);   // a-bad, a-good events, completed, pongs
        // Drained: the id is free now.
        assertThat(router.registerConnection("bob", "a-bad")).isTrue();
        assertThat(pool.ownerOf("a-bad")).contains("bob");
    }

    @Test
    void aDisconnectWhileFramesWaitIsAcknowledgedAfterThem() throws Exception {
        manager.on("a-bad", byHand());
        build(ConnectionPool.builder(manager));
        router.emitToUser("alice", "tool_executing", Map.of("tool_name", "search"));
        router.emitToUser("alice", "tool_completed", Map.of("tool_name", "search"));

        assertThat(router.routeMessage("alice", "a-bad", "{\"type\":\"disconnect\"}")).isTrue();

        assertThat(pool.ownerOf("a-bad")).isEmpty();
        assertThat(router.emitToUserCount("alice", "agent_completed", Map.of())).isEqualTo(1);
        while (!pending.isEmpty()) {
            pending.remove().complete(null);
        }
        List<String> left = manager.framesOf("a-bad");
        assertThat(types(left)).containsExactly("tool_executing", "tool_completed", "system_message");
        assertThat(MAPPER.readTree(left.get(2)).at("/data/status").asText()).isEqualTo("disconnect_acknowledged");
        assertThat(delivery().framesQueued()).isZero();
        assertThat(delivery().framesDropped()).isZero();
    }

    @Test
    void aConnectionRemovedForFailingDropsWhatWaitedAndEveryFrameIsAccountedFor() throws Exception {
        manager.on("a-bad", byHand());
        build(ConnectionPool.builder(manager).maxConsecutiveFailures(1));
        int accepted = 0;
        for (int step = 0; step < 5; step++) {
            accepted += router.emitToUserCount("alice", "agent_thinking", Map.of("step", step));
        }
        assertThat(accepted).isEqualTo(10);

        pending.remove().completeExceptionally(new IllegalStateException("connection reset"));

        DeliveryStatistics stats = delivery();
        assertThat(stats.sendFailures()).isEqualTo(1);
        assertThat(stats.framesDropped()).isEqualTo(4);
        assertThat(stats.framesQueued()).isZero();
        assertThat(stats.framesSent()).isEqualTo(5);   // all five on a-good
        assertThat(stats.framesSent() + stats.sendFailures() + stats.framesDropped()).isEqualTo(accepted);
        assertThat(removed).containsExactly("alice/a-bad");
        assertThat(manager.framesOf("a-bad")).hasSize(1);
        assertThat(pending).isEmpty();
        // A removal by force frees the id once no send is in flight (here: the failed one completed it).
        assertThat(router.registerConnection("bob", "a-bad")).isTrue();
        assertThat(router.routeMessage("bob", "b1", PING)).isTrue();
    }

    @Test
    void closingTheRouterWhileFramesWaitDropsAndCountsThem() {
        manager.on("a-bad", byHand());
        build(ConnectionPool.builder(manager));
        for (int step = 0; step < 3; step++) {
            router.emitToUser("alice", "agent_thinking", Map.of("step", step));
        }

        router.close();

        DeliveryStatistics stats = pool.deliveryStatistics();
        assertThat(stats.framesDropped()).isEqualTo(2);   // queued behind the one in flight
        assertThat(stats.framesQueued()).isZero();
        assertThat(removed).containsExactlyInAnyOrder("alice/a-bad", "alice/a-good", "bob/b1");
        pending.remove().complete(null);   // the transport finishes the write in flight: nothing follows
        assertThat(manager.framesOf("a-bad")).hasSize(1);
        assertThat(pool.deliveryStatistics().framesSent()).isEqualTo(4);
        assertThat(router.emitToUser("alice", "agent_thinking", Map.of())).isFalse();
    }
}
