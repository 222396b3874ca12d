package io.wsrouter.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs rejected input at a bounded rate, so that a client sending garbage cannot flood the logs:
 * at most {@code perWindow} lines per window, then one line saying how many were suppressed. Lines
 * carry the user, connection, error code and reason, never the message body. Thread-safe, lock-free.
 */
final class RejectionLog {

    private final Logger log;
    private final int perWindow;
    private final long windowMillis;
    private final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger logged = new AtomicInteger();
    private final AtomicInteger suppressed = new AtomicInteger();

    RejectionLog(Logger log, int perWindow, long windowMillis) {
        this.log = log;
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
    }

    void rejected(long nowMillis, String userId, String connectionId, ErrorCode code, String reason) {
        long start = windowStart.get();
        if ((start == Long.MIN_VALUE || nowMillis - start >= windowMillis) && windowStart.compareAndSet(start, nowMillis)) {
            int dropped = suppressed.getAndSet(0);
            logged.set(0);
            if (dropped > 0) {
                log.warn("{} more rejected frames were not logged in the last {} ms", dropped, windowMillis);
            }
        }
        if (logged.incrementAndGet() <= perWindow) {
            log.warn("rejected input from user {} on connection {}: {} ({})", userId, connectionId, code, reason);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
