package io.wsrouter.events;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * WARN lines that clients can cause (a connection removed because its peer stopped reading or its
 * sends fail, a listener failing on such a removal) at a bounded rate: at most {@code perWindow}
 * lines per window, then, with the first line of a later window, one line saying how many were not
 * logged. Under churn a pool may remove thousands of connections a second; the log must not become
 * the bottleneck nor bury everything else. Thread-safe, lock-free.
 *
 * <p>The same scheme as router-core's {@code RejectionLog} (package-private there, and worded for
 * rejected input), kept as a small class of this module rather than a public helper of core, whose
 * public API is the routing contract.
 */
final class BoundedLog {

    private final Logger log;
    private final String what;
    private final int perWindow;
    private final long windowMillis;
    private final LongSupplier clock;
    private final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger logged = new AtomicInteger();
    private final AtomicInteger suppressed = new AtomicInteger();

    /**
     * @param log          where the lines go
     * @param what         what the lines are about, for the line that counts the suppressed ones
     * @param perWindow    lines logged per window at most
     * @param windowMillis the window
     * @param clock        milliseconds (the pool's clock, so tests can move it)
     */
    BoundedLog(Logger log, String what, int perWindow, long windowMillis, LongSupplier clock) {
        this.log = log;
        this.what = what;
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Logs at WARN, in SLF4J's format (a last {@link Throwable} argument is its stack trace), unless the budget is spent. */
    void warn(String format, Object... arguments) {
        if (log.isWarnEnabled() && permit(clock.getAsLong())) {
            log.warn(format, arguments);
        }
    }

    /** @return whether one more line may be logged in this window; counts it as suppressed if not */
    private boolean permit(long nowMillis) {
        long start = windowStart.get();
        if ((start == Long.MIN_VALUE || nowMillis - start >= windowMillis) && windowStart.compareAndSet(start, nowMillis)) {
            int dropped = suppressed.getAndSet(0);
            logged.set(0);
            if (dropped > 0) {
                log.warn("{} more lines about {} were not logged (at most {} every {} ms)", dropped, what, perWindow, windowMillis);
            }
        }
        if (logged.get() < perWindow && logged.incrementAndGet() <= perWindow) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }
}
