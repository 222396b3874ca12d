package io.wsrouter.events;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.Admission;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PoolCloseTest {

    private static Set<Thread> sweeperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(ConnectionPool.SWEEPER_THREAD_PREFIX) && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void eachPoolRunsOneDaemonSweeperThreadAndCloseStopsIt() {
        Set<Thread> before = sweeperThreads();
        ConnectionPool pool = ConnectionPool.builder((id, f) -> CompletableFuture.completedFuture(null))
                .sweepInterval(Duration.ofMillis(5)).build();
        pool.admit("alice", "c1");
        Set<Thread> mine = sweeperThreads();
        mine.removeAll(before);
        assertThat(mine).hasSize(1);
        assertThat(mine.iterator().next().isDaemon()).isTrue();

        pool.close();

        assertThat(mine).noneMatch(Thread::isAlive);
        assertThat(sweeperThreads()).doesNotContainAnyElementsOf(mine);
        assertThat(pool.admit("alice", "c2")).isEqualTo(Admission.CLOSED);
        assertThat(pool.expireIdle()).isZero();
    }

    @Test
    void closingFromAListenerOnTheSweeperThreadDoesNotDeadlock() throws Exception {
        MutableClock clock = new MutableClock();
        ConnectionPool pool = ConnectionPool.builder((id, f) -> CompletableFuture.completedFuture(null))
                .clock(clock).idleTimeout(Duration.ofSeconds(1)).sweepInterval(Duration.ofMillis(5)).build();
        CompletableFuture<Thread> closedOn = new CompletableFuture<>();
        pool.addListener((user, conn, reason) -> {
            pool.close();
            closedOn.complete(Thread.currentThread());
        });
        pool.admit("alice", "c1");
        pool.admit("alice", "c2");
        clock.advance(Duration.ofSeconds(2));
        Thread sweeper = closedOn.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(sweeper.getName()).startsWith(ConnectionPool.SWEEPER_THREAD_PREFIX);
        sweeper.join(30_000);
        assertThat(sweeper.isAlive()).isFalse();
        assertThat(pool.activeConnections()).isZero();
    }
}
