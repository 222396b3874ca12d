package io.wsrouter.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs what clients can trigger (rejected input, handlers failing on their messages) at a bounded
 * rate, so that a client sending garbage cannot flood the logs: at most {@code perWindow} lines per
 * window, then one line saying how many were suppressed. Lines carry the user, connection, error
 * code and reason, never the message body (ids are cut short and escaped by
 * {@link Message#toString()}). Thread-safe, lock-free.
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
        if (permit(nowMillis)) {
            log.warn("rejected input from user {} on connection {}: {} ({})", userId, connectionId, code, reason);
        }
    }

    /** Logs a handler failure (with its stack trace) unless the window's budget is spent. */
    void handlerFailed(long nowMillis, String what, Message message, String userId, Throwable error) {
        if (permit(nowMillis)) {
            log.warn("{} failed on {} from user {}", what, message == null ? "a call" : message, userId, error);
        }
    }

    /** @return whether one more line may be logged in this window; counts it as suppressed if not */
    private boolean permit(long nowMillis) {
        long start = windowStart.get();
        if ((start == Long.MIN_VALUE || nowMillis - start >= windowMillis) && windowStart.compareAndSet(start, nowMillis)) {
            int dropped = suppressed.getAndSet(0);
            logged.set(0);
            if (dropped > 0) {
                log.warn("{} more lines about rejected input or failed handlers were not logged in the last {} ms",
                        dropped, windowMillis);
            }
        }
        if (logged.get() < perWindow && logged.incrementAndGet() <= perWindow) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }
}
