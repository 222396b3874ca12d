package io.wsrouter.events;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.RemovalReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every way out of the pool tells the listeners why, once, with the right {@link RemovalReason}. */
class RemovalReasonTest {

    private final MutableClock clock = new MutableClock();
    private final RecordingManager manager = new RecordingManager();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private ConnectionPool pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private ConnectionPool build(ConnectionPool.Builder builder) {
        pool = builder.clock(clock).build();
        pool.addListener((user, conn, reason) -> told.add(user + "/" + conn + "/" + reason));
        return pool;
    }

    @Test
    void unregisterByIdTellsUnregistered() {
        build(ConnectionPool.builder(manager));
        pool.admit("alice", "c1");
        assertThat(pool.unregister("c1")).isTrue();
        assertThat(pool.unregister("c1")).isFalse();
        assertThat(told).containsExactly("alice/c1/UNREGISTERED");
    }

    @Test
    void unregisterByItsUserTellsUnregistered() {
        build(ConnectionPool.builder(manager));
        pool.admit("alice", "c1");
        assertThat(pool.unregister("bob", "c1")).isFalse();
        assertThat(pool.unregister("alice", "c1")).isTrue();
        assertThat(told).containsExactly("alice/c1/UNREGISTERED");
    }

    @Test
    void idleExpiryTellsIdle() {
        build(ConnectionPool.builder(manager).idleTimeout(Duration.ofSeconds(60)));
        pool.admit("alice", "c1");
        clock.advance(Duration.ofSeconds(61));
        assertThat(pool.expireIdle()).isEqualTo(1);
        assertThat(told).containsExactly("alice/c1/IDLE");
    }

    @Test
    void anOverflowUnderCloseConnectionTellsSlow() {
        manager.on("c1", (id, f) -> new CompletableFuture<Void>());
        build(ConnectionPool.builder(manager).maxQueuedFrames(1).overflowPolicy(OverflowPolicy.CLOSE_CONNECTION));
        pool.admit("alice", "c1");
        assertThat(pool.sendToConnection("alice", "c1", "in flight")).isTrue();
        assertThat(pool.sendToConnection("alice", "c1", "queued")).isTrue();
        assertThat(pool.sendToConnection("alice", "c1", "one too many")).isFalse();
        assertThat(told).containsExactly("alice/c1/SLOW");
        assertThat(RemovalReason.SLOW.abortive()).isTrue();
    }

    @Test
    void anOverflowUnderDropOldestRemovesNothing() {
        manager.on("c1", (id, f) -> new CompletableFuture<Void>());
        build(ConnectionPool.builder(manager).maxQueuedFrames(1).overflowPolicy(OverflowPolicy.DROP_OLDEST));
        pool.admit("alice", "c1");
        for (int i = 0; i < 5; i++) {
            assertThat(pool.sendToConnection("alice", "c1", "frame-" + i)).isTrue();
        }
        assertThat(told).isEmpty();
    }

    @Test
    void failingSendsTellFailingAtTheBoundOnly() {
        manager.on("c1", (id, f) -> CompletableFuture.failedFuture(new IllegalStateException("reset")));
        build(ConnectionPool.builder(manager).maxConsecutiveFailures(3));
        pool.admit("alice", "c1");
        pool.sendToConnection("alice", "c1", "1");
        pool.sendToConnection("alice", "c1", "2");
        assertThat(told).isEmpty();
        pool.sendToConnection("alice", "c1", "3");
        assertThat(told).containsExactly("alice/c1/FAILING");
        assertThat(RemovalReason.FAILING.abortive()).isTrue();
    }

    @Test
    void closingThePoolTellsShutdownForEveryConnection() {
        build(ConnectionPool.builder(manager));
        pool.admit("alice", "c1");
        pool.admit("bob", "c2");
        pool.close();
        pool.close();
        assertThat(told).containsExactlyInAnyOrder("alice/c1/SHUTDOWN", "bob/c2/SHUTDOWN");
        assertThat(RemovalReason.SHUTDOWN.abortive()).isFalse();
    }
}
