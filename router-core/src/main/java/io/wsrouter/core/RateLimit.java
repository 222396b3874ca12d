package io.wsrouter.core;

/**
 * An inbound rate limit per connection: a token bucket that holds up to {@code burst} messages and
 * refills at {@code messagesPerSecond}. Each message costs one token; a {@code batch} or JSON-RPC
 * batch costs one token per entry. A message over the limit is rejected with
 * {@link ErrorCode#RATE_LIMITED} (the sender gets an {@code error_message}) and counted. Buckets are
 * per connection, so a connection at its limit never slows anyone else.
 *
 * <p>Off by default; turn it on with
 * {@link CanonicalMessageRouter.Builder#rateLimit(RateLimit)}:
 * <pre>{@code
 * CanonicalMessageRouter.builder().connectionPool(pool).rateLimit(RateLimit.perSecond(50, 100)).build();
 * }</pre>
 *
 * @param messagesPerSecond the sustained rate; {@code > 0}
 * @param burst             the most messages accepted at once after a quiet period; {@code >= 1}
 */
public record RateLimit(double messagesPerSecond, int burst) {

    /**
     * Checks both values.
     *
     * @param messagesPerSecond the sustained rate; {@code > 0} and finite
     * @param burst             the most messages accepted at once after a quiet period; {@code >= 1}
     * @throws IllegalArgumentException when a value is out of range
     */
    public RateLimit {
        if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("messagesPerSecond must be > 0 but was " + messagesPerSecond);
        }
        MessageLimits.requirePositive("burst", burst);
    }

    /**
     * Creates a token-bucket limit per connection.
     *
     * @param messagesPerSecond the sustained rate; {@code > 0} and finite
     * @param burst             the most messages accepted at once after a quiet period; {@code >= 1}
     * @return a limit of {@code messagesPerSecond} sustained with bursts of {@code burst}
     * @throws IllegalArgumentException when a value is out of range
     */
    public static RateLimit perSecond(double messagesPerSecond, int burst) {
        return new RateLimit(messagesPerSecond, burst);
    }
}
