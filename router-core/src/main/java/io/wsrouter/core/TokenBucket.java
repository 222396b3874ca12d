package io.wsrouter.core;

/**
 * One connection's token bucket. Its lock is the bucket itself: only the threads routing for that
 * one connection ever contend on it.
 */
final class TokenBucket {

    private final double perMilli;
    private final int capacity;
    private double tokens;
    private long lastRefill;

    TokenBucket(RateLimit limit, long nowMillis) {
        this.perMilli = limit.messagesPerSecond() / 1000.0;
        this.capacity = limit.burst();
        this.tokens = capacity;
        this.lastRefill = nowMillis;
    }

    synchronized boolean tryAcquire(int permits, long nowMillis) {
        if (nowMillis > lastRefill) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastRefill) * perMilli);
            lastRefill = nowMillis;
        }
        if (tokens >= permits) {
            tokens -= permits;
            return true;
        }
        return false;
    }
}
