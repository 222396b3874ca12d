package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsrouter.core.Admission;
import io.wsrouter.core.RemovalReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One writer per id, always: a connection removed by force (overflow, failing sends) keeps its id
 * reserved, for every user including its own, until its send in flight completes; then the id is
 * free. The manager never sees two sends for one id overlap. And no failure path leaves an id held.
 */
class ForcedRemovalTest {

    private final RecordingManager manager = new RecordingManager();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();
    private final List<String> removed = new CopyOnWriteArrayList<>();
    private ConnectionPool pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private BiFunction<String, String, CompletionStage<Void>> byHand() {
        return (id, frame) -> {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            pending.add(stage);
            return stage;
        };
    }

    private ConnectionPool build(ConnectionPool.Builder builder) {
        pool = builder.build();
        pool.addListener((user, conn, reason) -> removed.add(user + "/" + conn + "/" + reason));
        return pool;
    }

    /** alice's c1 with one send stuck in flight and two frames queued, then removed by an overflow. */
    private void overflowWhileASendIsStuck() {
        manager.on("c1", byHand());
        build(ConnectionPool.builder(manager).maxQueuedFrames(2));
        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.REGISTERED);
        for (int i = 0; i < 3; i++) {
            assertThat(pool.sendToConnection("alice", "c1", "frame-" + i)).isTrue();
        }
        assertThat(pool.sendToConnection("alice", "c1", "frame-3")).isFalse();   // overflow
        assertThat(removed).containsExactly("alice/c1/SLOW");
        assertThat(pending).hasSize(1);
    }

    @Test
    void afterAnOverflowTheIdIsRefusedToEveryUserUntilTheSendInFlightCompletes() {
        overflowWhileASendIsStuck();

        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.FORBIDDEN);
        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.FORBIDDEN);
        assertThat(pool.ownerOf("c1")).isEmpty();
        assertThat(pool.sendToConnection("alice", "c1", "late")).isFalse();
        assertThat(pool.connectionsOf("alice")).isEmpty();
        assertThat(pool.activeConnections()).isZero();
        assertThat(manager.calls()).isEqualTo(1);

        pending.remove().complete(null);   // the stuck write ends (e.g. the host aborted the socket)

        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.sendToConnection("bob", "c1", "bob-0")).isTrue();
        assertThat(manager.framesOf("c1")).containsExactly("frame-0", "bob-0");   // the dropped queue never left
        assertThat(manager.overlaps()).isZero();
        assertThat(pool.deliveryStatistics().framesDropped()).isEqualTo(3);        // 2 queued + the overflowing one
    }

    @Test
    void itsOwnUserGetsTheIdBackOnceTheSendInFlightCompletesWithAFreshQueue() {
        overflowWhileASendIsStuck();
        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.FORBIDDEN);

        pending.remove().completeExceptionally(new IllegalStateException("aborted"));

        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.sendToConnection("alice", "c1", "again")).isTrue();
        assertThat(manager.framesOf("c1")).containsExactly("frame-0", "again");
        assertThat(manager.overlaps()).isZero();
        assertThat(pool.ownerOf("c1")).contains("alice");
    }

    @Test
    void aForcedRemovalOfAConnectionStillDrainingGracefullyStopsItsReopening() {
        manager.on("c1", byHand());
        build(ConnectionPool.builder(manager));
        pool.admit("alice", "c1");
        pool.sendToConnection("alice", "c1", "a");
        pool.sendToConnection("alice", "c1", "b");
        assertThat(pool.unregister("c1")).isTrue();                      // graceful: "b" still drains
        assertThat(((DefaultConnectionPool) pool).removeByForce("c1", RemovalReason.FAILING)).isFalse();   // not open
        pending.remove().complete(null);
        assertThat(pending).isEmpty();                                    // "b" was dropped by the forced close
        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(manager.overlaps()).isZero();
    }

    @Test
    void aListenerThatThrowsAnErrorOnAFailingRemovalDoesNotLeaveTheIdHeld() {
        manager.on("c1", byHand());
        build(ConnectionPool.builder(manager).maxConsecutiveFailures(1));
        pool.addListener((user, conn, reason) -> {
            if (reason == RemovalReason.FAILING) {
                throw new AssertionError("listener bug");
            }
        });
        pool.admit("alice", "c1");
        pool.sendToConnection("alice", "c1", "a");
        pool.sendToConnection("alice", "c1", "b");

        // The error escapes into the stage's completion (CompletableFuture keeps it), not into the pool.
        pending.remove().completeExceptionally(new IllegalStateException("reset"));

        assertThat(removed).containsExactly("alice/c1/FAILING");
        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.deliveryStatistics().framesQueued()).isZero();
    }

    @Test
    void aManagerThatThrowsOrReturnsNullNeverHoldsTheId() {
        manager.on("c1", (id, frame) -> {
            throw new IllegalStateException("socket gone");
        });
        manager.on("c2", (id, frame) -> null);
        build(ConnectionPool.builder(manager).maxConsecutiveFailures(1));
        pool.admit("alice", "c1");
        pool.admit("alice", "c2");
        assertThat(pool.sendToUser("alice", "x")).isEqualTo(2);
        assertThat(removed).containsExactlyInAnyOrder("alice/c1/FAILING", "alice/c2/FAILING");
        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.admit("alice", "c2")).isEqualTo(Admission.REGISTERED);
    }

    @Test
    void theForcedRemovalHookTakesOnlyForcedReasons() {
        build(ConnectionPool.builder(manager));
        DefaultConnectionPool p = (DefaultConnectionPool) pool;
        assertThatThrownBy(() -> p.removeByForce("c1", RemovalReason.IDLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IDLE");
        assertThat(p.removeByForce("unknown", RemovalReason.SLOW)).isFalse();
    }
}
