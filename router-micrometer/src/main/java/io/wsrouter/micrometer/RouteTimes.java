package io.wsrouter.micrometer;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The time of every route, in a fixed log-scale histogram cheap enough for the hot path: one
 * {@link LongAdder} per bucket, the sum, and the exact max; the count is the buckets' sum. Buckets
 * are powers of two split in four, so a percentile is reported as the upper bound of its bucket, at
 * most 25% above the true value and never above the exact max.
 *
 * <p>Percentiles are over recent routes, as Micrometer's own decay, so that a cold start does not
 * stay in them: each reading keeps the bucket counts it saw (at most one per {@link #STEP_NANOS}),
 * and a percentile is taken over the routes since the newest kept reading that is at least
 * {@link #WINDOW_NANOS} old; before there is one, over every route since the start. Read by a
 * registry scraped every 15 to 60 s, that is the last one to two minutes.
 *
 * <p>Why not a Micrometer {@code Timer} with percentiles: its record (a time-window ring of
 * HdrHistograms, a decaying max) costs about as much as the route it would time (measured in
 * router-bench, {@code MetricsCost}); this costs three uncontended adds. Thread-safe, lock-free.
 */
final class RouteTimes {

    private static final int SUB_BITS = 2;
    private static final int SUB = 1 << SUB_BITS;
    static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

    private final LongAdder[] buckets = new LongAdder[BUCKETS];
    private final LongAdder sum = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);
    private final LongSupplier nanoClock;
    /** Readings of the bucket counts, oldest first; guarded by {@code this}. */
    private final ArrayDeque<Reading> readings = new ArrayDeque<>();

    /** Percentiles cover at least the last minute ... */
    static final long WINDOW_NANOS = 60_000_000_000L;
    /** ... from readings kept at most every 10 s. */
    static final long STEP_NANOS = 10_000_000_000L;

    RouteTimes() {
        this(System::nanoTime);
    }

    RouteTimes(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long v = Math.max(0, nanos);
        buckets[index(v)].increment();
        sum.add(v);
        max.accumulate(v);
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
        return SUB + (exponent - SUB_BITS) * SUB + sub;
    }

    /** @return the largest value that falls in the bucket */
    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = (index - SUB) / SUB + SUB_BITS;
        long sub = (index - SUB) % SUB;
        long lower = (1L << exponent) + (sub << (exponent - SUB_BITS));
        long upper = lower + (1L << (exponent - SUB_BITS)) - 1;
        return upper < 0 ? Long.MAX_VALUE : upper;
    }

    long count() {
        long n = 0;
        for (LongAdder bucket : buckets) {
            n += bucket.sum();
        }
        return n;
    }

    double totalNanos() {
        return sum.sum();
    }

    double maxNanos() {
        return max.get();
    }

    /**
     * @return the quantile of the recent routes (see the class comment): its bucket's upper bound,
     *         capped at the max; 0 when no route was recorded in that time
     */
    synchronized double percentileNanos(double quantile) {
        long now = nanoClock.getAsLong();
        long[] counts = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets[i].sum();
        }
        Reading base = null;
        while (!readings.isEmpty() && now - readings.peekFirst().at >= WINDOW_NANOS) {
            base = readings.pollFirst();
        }
        if (base != null) {
            readings.addFirst(base);
        }
        if (readings.isEmpty() || now - readings.peekLast().at >= STEP_NANOS) {
            readings.addLast(new Reading(now, counts.clone()));
        }
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (base != null) {
                counts[i] -= base.counts[i];
            }
            total += counts[i];
        }
        if (total == 0) {
            return 0;
        }
        long maximum = max.get();
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), maximum);
            }
        }
        return maximum;
    }

    /** The bucket counts seen at one time. */
    private record Reading(long at, long[] counts) {
    }
}
