package io.wsrouter.demo;

import io.wsrouter.core.RouteOutcome;
import io.wsrouter.core.RoutingObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's {@link RoutingObserver}: logs every routed message slower than a threshold, with its type,
 * the handler that took it and the outcome, so a stuck handler shows up in the log when it happens
 * instead of in an average. At most one line per second (the rest are counted in the next line).
 */
final class SlowRouteLog implements RoutingObserver {

    private static final Logger LOG = LoggerFactory.getLogger(SlowRouteLog.class);

    private final long thresholdNanos;
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();

    SlowRouteLog(Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
    }

    @Override
    public void messageRouted(String type, String handler, RouteOutcome outcome, long nanos) {
        if (nanos < thresholdNanos) {
            return;
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (last != Long.MIN_VALUE && now - last < 1_000_000_000L || !lastLogged.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        LOG.warn("slow route: {} handled by {} ({}) took {} ms; {} more slow routes since the last line",
                type, handler, outcome, nanos / 1_000_000, unlogged.getAndSet(0));
    }
}
