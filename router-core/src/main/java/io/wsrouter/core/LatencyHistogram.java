package io.wsrouter.core;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket, log-scale histogram of nanosecond durations, cheap enough to record every routed
 * message: one {@link LongAdder} per bucket (routing threads rarely contend on one cell), plus the
 * exact sum and max (the count is the buckets' total): two uncontended adds and one read per record. Buckets are powers of two split in four, so a percentile is reported as
 * the upper bound of its bucket: at most 25% above the true value, never below it, and never above
 * the exact max. Values from 0 to {@link Long#MAX_VALUE} fit. Thread-safe, lock-free, no allocation
 * on record.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 2;
    private static final int SUB = 1 << SUB_BITS;
    /** Values below 2^SUB_BITS get one bucket each; then SUB buckets per power of two up to 2^63. */
    static final int BUCKETS = SUB + (63 - SUB_BITS) * SUB;

    private final LongAdder[] buckets = new LongAdder[BUCKETS];
    private final LongAdder sum = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    LatencyHistogram() {
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
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
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
        long width = 1L << (exponent - SUB_BITS);
        return lower + width - 1 < 0 ? Long.MAX_VALUE : lower + width - 1;
    }

    /** @return a consistent-enough snapshot (each figure is read once; concurrent records may straddle it) */
    RoutingTime snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets[i].sum();
            total += counts[i];
        }
        long maximum = max.get();
        long n = total;
        return new RoutingTime(n, n == 0 ? 0 : sum.sum() / n, maximum,
                percentile(counts, total, 0.50, maximum),
                percentile(counts, total, 0.90, maximum),
                percentile(counts, total, 0.99, maximum));
    }

    private static long percentile(long[] counts, long total, double quantile, long maximum) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), maximum);
            }
        }
        return maximum;
    }
}
