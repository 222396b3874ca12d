package io.wsrouter.core;

/**
 * The time {@code routeMessage} calls took, over every call since the router was built (none is
 * sampled away, so no slow message can slip past the max or the percentiles). An immutable snapshot,
 * part of {@link RoutingStatistics}.
 *
 * <p>Percentiles come from a log-scale histogram with four buckets per power of two: each is the
 * upper bound of its bucket, so at most 25% above the true value and never below it, and never above
 * {@link #maxNanos()}, which is exact.
 *
 * <pre>{@code
 * RoutingTime t = router.statistics().routingTime();
 * log.info("p99 routing {} us over {} messages", t.p99Nanos() / 1000, t.count());
 * }</pre>
 *
 * @param count     calls timed (every call of a {@code routeMessage} entry, rejected ones included)
 * @param meanNanos the mean, in nanoseconds (0 when none)
 * @param maxNanos  the longest call, exact
 * @param p50Nanos  the median
 * @param p90Nanos  the 90th percentile
 * @param p99Nanos  the 99th percentile
 */
public record RoutingTime(long count, long meanNanos, long maxNanos, long p50Nanos, long p90Nanos, long p99Nanos) {

    /** No call timed yet. */
    public static final RoutingTime EMPTY = new RoutingTime(0, 0, 0, 0, 0, 0);
}
