package io.wsrouter.events;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.Admission;
import io.wsrouter.core.RemovalReason;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a pool, and the idle sweep: pools share one daemon thread, and a pool dropped without
 * {@code close()} leaves nothing running. Tests that watch a scheduler build their own (named after
 * the test), so they do not depend on what other tests did with the shared one.
 */
class PoolCloseTest {

    private final List<SweepScheduler> schedulers = new ArrayList<>();

    @AfterEach
    void stopSchedulers() {
        schedulers.forEach(SweepScheduler::shutdown);
    }

    private SweepScheduler scheduler(String threadName, long keepAliveMillis) {
        SweepScheduler s = new SweepScheduler(threadName, keepAliveMillis);
        schedulers.add(s);
        return s;
    }

    private static ConnectionPool.Builder builder() {
        return ConnectionPool.builder((id, f) -> CompletableFuture.completedFuture(null));
    }

    private static Set<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .collect(Collectors.toSet());
    }

    /** Polls (no absolute timing): true as soon as the condition holds, false after about 30 s. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 3_000; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void closeCancelsThePoolsSweepRemovesEveryConnectionAsShutdownAndRefusesNewOnes() {
        SweepScheduler scheduler = scheduler("test-sweeper-close", 60_000);
        ConnectionPool pool = builder().sweepScheduler(scheduler).build();
        List<RemovalReason> reasons = new ArrayList<>();
        pool.addListener((user, conn, reason) -> reasons.add(reason));
        pool.admit("alice", "c1");
        pool.admit("bob", "c2");
        assertThat(scheduler.scheduled()).isEqualTo(1);

        pool.close();

        assertThat(scheduler.scheduled()).isZero();
        assertThat(reasons).containsExactly(RemovalReason.SHUTDOWN, RemovalReason.SHUTDOWN);
        assertThat(pool.admit("alice", "c3")).isEqualTo(Admission.CLOSED);
        assertThat(pool.expireIdle()).isZero();
    }

    @Test
    void poolsShareOneDaemonSweeperThreadWhateverTheirNumber() throws Exception {
        List<ConnectionPool> pools = new ArrayList<>();
        CountDownLatch swept = new CountDownLatch(50);
        MutableClock clock = new MutableClock();
        try {
            for (int i = 0; i < 50; i++) {
                ConnectionPool pool = builder().clock(clock).idleTimeout(Duration.ofSeconds(1))
                        .sweepInterval(Duration.ofMillis(5)).build();   // the shared scheduler
                pool.addListener((user, conn, reason) -> swept.countDown());
                pool.admit("alice", "c" + i);
                pools.add(pool);
            }
            clock.advance(Duration.ofSeconds(2));
            assertThat(swept.await(30, TimeUnit.SECONDS)).as("every pool was swept").isTrue();
            Set<Thread> sweepers = threadsNamed(ConnectionPool.SWEEPER_THREAD_PREFIX);
            assertThat(sweepers).hasSize(1);
            assertThat(sweepers.iterator().next().isDaemon()).isTrue();
        } finally {
            pools.forEach(ConnectionPool::close);
        }
    }

    @Test
    void aPoolDroppedWithoutCloseIsCollectedItsSweepStopsAndTheThreadEnds() throws Exception {
        SweepScheduler scheduler = scheduler("test-sweeper-forgotten", 20);
        WeakReference<ConnectionPool> forgotten = forgottenPool(scheduler);

        boolean collected = false;
        for (int attempt = 0; attempt < 50 && !collected; attempt++) {
            System.gc();
            Thread.sleep(20);
            collected = forgotten.get() == null;
        }
        assertThat(collected).as("the pool was garbage collected").isTrue();
        assertThat(eventually(() -> scheduler.scheduled() == 0)).as("its sweep cancelled itself").isTrue();
        assertThat(eventually(() -> threadsNamed("test-sweeper-forgotten").isEmpty())).as("the thread ended").isTrue();
    }

    /** Builds a pool that sweeps often, uses it, and keeps no strong reference to it. */
    private static WeakReference<ConnectionPool> forgottenPool(SweepScheduler scheduler) throws InterruptedException {
        ConnectionPool pool = builder().sweepScheduler(scheduler).sweepInterval(Duration.ofMillis(5)).build();
        pool.admit("alice", "c1");
        pool.sendToUser("alice", "{}");
        Thread.sleep(30);   // let the sweep run a few times: a running sweep must not pin it either
        assertThat(scheduler.scheduled()).isEqualTo(1);
        assertThat(threadsNamed("test-sweeper-forgotten")).hasSize(1);
        return new WeakReference<>(pool);
    }

    @Test
    void theSweepStillRunsWhenTheThreadTimesOutBetweenTwoRuns() throws Exception {
        SweepScheduler scheduler = scheduler("test-sweeper-timeout", 1);   // idles out almost at once
        MutableClock clock = new MutableClock();
        CountDownLatch expired = new CountDownLatch(1);
        try (ConnectionPool pool = builder().sweepScheduler(scheduler).clock(clock).idleTimeout(Duration.ofSeconds(1))
                .sweepInterval(Duration.ofMillis(50)).build()) {
            pool.addListener((user, conn, reason) -> expired.countDown());
            pool.admit("alice", "c1");
            Thread.sleep(120);   // a couple of sweeps with a keep-alive far shorter than the interval
            clock.advance(Duration.ofSeconds(2));
            assertThat(expired.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closingFromAListenerOnTheSweeperThreadDoesNotDeadlock() throws Exception {
        SweepScheduler scheduler = scheduler("test-sweeper-listener", 60_000);
        MutableClock clock = new MutableClock();
        ConnectionPool pool = builder().sweepScheduler(scheduler)
                .clock(clock).idleTimeout(Duration.ofSeconds(1)).sweepInterval(Duration.ofMillis(5)).build();
        CompletableFuture<Thread> closedOn = new CompletableFuture<>();
        pool.addListener((user, conn, reason) -> {
            pool.close();
            closedOn.complete(Thread.currentThread());
        });
        pool.admit("alice", "c1");
        pool.admit("alice", "c2");
        clock.advance(Duration.ofSeconds(2));
        Thread sweeper = closedOn.get(30, TimeUnit.SECONDS);
        assertThat(sweeper.getName()).isEqualTo("test-sweeper-listener");
        assertThat(eventually(() -> pool.activeConnections() == 0)).isTrue();
        assertThat(scheduler.scheduled()).isZero();
    }
}
