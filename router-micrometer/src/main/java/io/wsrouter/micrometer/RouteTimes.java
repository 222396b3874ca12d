package io.wsrouter.micrometer;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The time of every route, in a fixed log-scale histogram cheap enough for the hot path: one
 * {@link LongAdder} per bucket, the sum, and the exact max; the count is the buckets' sum. Buckets
 * are powers of two split in four, so a percentile is reported as the upper bound of its bucket, at
 * most 25% above the true value and never above the exact max.
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

    RouteTimes() {
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

    /** @return the quantile's bucket upper bound, capped at the max; 0 when nothing was recorded */
    double percentileNanos(double quantile) {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets[i].sum();
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
}
