package io.wsrouter.events;

import java.lang.ref.WeakReference;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the idle sweeps of pools on one daemon thread, shared by every pool that uses the same
 * scheduler (by default {@link #SHARED}, for all pools of the JVM).
 *
 * <p>Why this shape: a thread per pool leaked one thread per pool never closed. Here the scheduled
 * task holds its pool only through a {@link WeakReference}, so a pool that was dropped without
 * {@code close()} is still collected; the next run finds it gone and cancels itself. The thread
 * itself ends after {@code keepAlive} with no sweep left to run (core thread time-out), and is
 * started again by the next pool. So a forgotten pool leaves nothing running, and the number of
 * threads does not grow with the number of pools. The JDK's {@code CompletableFuture.delayedExecutor}
 * was the other candidate; it would run the sweeps, and with them the host's listeners, on the
 * common fork-join pool (or block the JDK's single delay thread), which is not ours to occupy.
 *
 * <p>{@link #SHARED} is immutable: nothing can reconfigure it, and tests that need to watch a
 * scheduler build their own (through the builder's package-private hook). Thread-safe.
 */
final class SweepScheduler {

    /** The default: one daemon thread for every pool, which ends after 10 s without sweeps. */
    static final SweepScheduler SHARED = new SweepScheduler(ConnectionPool.SWEEPER_THREAD_PREFIX + "shared", 10_000);

    private final ScheduledThreadPoolExecutor executor;

    SweepScheduler(String threadName, long keepAliveMillis) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setKeepAliveTime(keepAliveMillis, TimeUnit.MILLISECONDS);
        executor.allowCoreThreadTimeOut(true);   // no sweep left to run: no thread either
        executor.setRemoveOnCancelPolicy(true);  // a cancelled sweep holds nothing in the queue
    }

    /**
     * Sweeps the pool every {@code everyMillis} until it is closed or collected.
     *
     * @return the schedule, for the pool's {@code close()} to cancel
     */
    Future<?> schedule(DefaultConnectionPool pool, long everyMillis) {
        Sweep sweep = new Sweep(pool);
        Future<?> future = executor.scheduleWithFixedDelay(sweep, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
        sweep.future = future;
        return future;
    }

    /** @return the sweeps still scheduled (for tests) */
    int scheduled() {
        return executor.getQueue().size();
    }

    /** Stops the thread now (for tests that built their own scheduler). */
    void shutdown() {
        executor.shutdownNow();
    }

    /** One pool's sweep; holds the pool weakly. */
    private static final class Sweep implements Runnable {
        private final WeakReference<DefaultConnectionPool> pool;
        volatile Future<?> future;

        Sweep(DefaultConnectionPool pool) {
            this.pool = new WeakReference<>(pool);
        }

        @Override
        public void run() {
            DefaultConnectionPool p = pool.get();
            if (p == null || !p.sweep()) {
                Future<?> f = future;
                if (f != null) {
                    f.cancel(false);   // the pool is gone or closed (if not set yet: on the next run)
                }
            }
        }
    }
}
