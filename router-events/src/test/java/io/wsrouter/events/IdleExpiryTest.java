package io.wsrouter.events;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.Admission;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleExpiryTest {

    private final MutableClock clock = new MutableClock();
    private final RecordingManager manager = new RecordingManager();
    private final List<String> closed = new CopyOnWriteArrayList<>();

    private ConnectionPool pool(Duration sweepInterval) {
        ConnectionPool pool = ConnectionPool.builder(manager)
                .idleTimeout(Duration.ofSeconds(60))
                .sweepInterval(sweepInterval)
                .clock(clock)
                .build();
        pool.addListener((user, conn, reason) -> closed.add(user + "/" + conn));
        return pool;
    }

    @Test
    void expireIdleRemovesOnlyConnectionsIdleForLongerThanTheTimeout() {
        try (ConnectionPool pool = pool(Duration.ofHours(1))) {
            pool.admit("alice", "active");
            pool.admit("alice", "idle");
            pool.admit("bob", "exact");
            clock.advance(Duration.ofSeconds(30));
            assertThat(pool.admit("alice", "active")).isEqualTo(Admission.OWNED);   // an inbound frame touches it
            clock.advance(Duration.ofSeconds(30));

            assertThat(pool.expireIdle()).as("idle for exactly the timeout is not longer than it").isZero();
            clock.advance(Duration.ofMillis(1));
            assertThat(pool.expireIdle()).isEqualTo(2);

            assertThat(pool.connectionsOf("alice")).containsExactly("active");
            assertThat(pool.ownerOf("exact")).isEmpty();
            assertThat(pool.connectedUsers()).isEqualTo(1);
            assertThat(closed).containsExactlyInAnyOrder("alice/idle", "bob/exact");
            assertThat(pool.deliveryStatistics().connectionsExpired()).isEqualTo(2);
        }
    }

    @Test
    void sendingToAConnectionDoesNotKeepItAlive() {
        try (ConnectionPool pool = pool(Duration.ofHours(1))) {
            pool.admit("alice", "c1");
            clock.advance(Duration.ofSeconds(59));
            pool.sendToUser("alice", "{}");
            clock.advance(Duration.ofSeconds(2));
            assertThat(pool.expireIdle()).isEqualTo(1);
            assertThat(pool.sendToUser("alice", "{}")).isZero();
        }
    }

    @Test
    void anExpiredConnectionThatSpeaksAgainIsRegisteredAgain() {
        try (ConnectionPool pool = pool(Duration.ofHours(1))) {
            pool.admit("alice", "c1");
            clock.advance(Duration.ofSeconds(61));
            pool.expireIdle();
            assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.REGISTERED);
        }
    }

    @Test
    void theSweeperThreadExpiresIdleConnectionsOnItsOwn() throws Exception {
        CountDownLatch expired = new CountDownLatch(1);
        try (ConnectionPool pool = pool(Duration.ofMillis(10))) {
            pool.addListener((user, conn, reason) -> expired.countDown());
            pool.admit("alice", "c1");
            pool.admit("bob", "c2");
            clock.advance(Duration.ofSeconds(30));
            pool.admit("bob", "c2");
            clock.advance(Duration.ofSeconds(31));
            assertThat(expired.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(closed).containsExactly("alice/c1");
            assertThat(pool.ownerOf("c2")).contains("bob");
        }
    }
}
