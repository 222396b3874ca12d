package io.wsrouter.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock that tests move by hand, with millisecond precision, so that timeouts, grace periods
 * and rate limits are tested without sleeping. Thread-safe: one thread may advance it while others
 * read it.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00Z"));
 * ConnectionPool pool = ConnectionPool.builder(manager).clock(clock).build();
 * clock.advance(Duration.ofMinutes(6));
 * pool.expireIdle();
 * }</pre>
 */
public final class MutableClock extends Clock {

    /** The default start: 2026-11-27T16:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-27T16:00:00Z");

    private final AtomicLong millis;

    /** A clock at {@link #DEFAULT_START}. */
    public MutableClock() {
        this(DEFAULT_START);
    }

    /**
     * @param start the first instant (truncated to the millisecond)
     * @throws NullPointerException when start is null
     */
    public MutableClock(Instant start) {
        this.millis = new AtomicLong(Objects.requireNonNull(start, "start").toEpochMilli());
    }

    /**
     * Moves the clock forward (or back, with a negative duration).
     *
     * @throws NullPointerException when by is null
     */
    public void advance(Duration by) {
        millis.addAndGet(Objects.requireNonNull(by, "by").toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    /** @return UTC */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** @return this clock: a test clock stays in UTC */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
