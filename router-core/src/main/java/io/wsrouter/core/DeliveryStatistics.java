package io.wsrouter.core;

/**
 * Delivery figures of a {@link ConnectionRegistry}, folded into {@link RoutingStatistics}.
 * An immutable snapshot.
 *
 * @param framesSent                frames the transport completed
 * @param framesDropped             frames dropped by the overflow policy or because their connection went away
 * @param sendFailures              sends that failed (threw, returned null, or completed exceptionally)
 * @param connectionsClosedSlow     connections removed because their queue overflowed under the close policy
 * @param connectionsClosedFailing  connections removed because their sends kept failing
 * @param connectionsExpired        connections removed by the idle sweeper
 * @param framesQueued              frames waiting in outbound queues right now
 */
public record DeliveryStatistics(long framesSent, long framesDropped, long sendFailures,
                                 long connectionsClosedSlow, long connectionsClosedFailing,
                                 long connectionsExpired, long framesQueued) {

    /** All zero: the figures of a router without a pool. */
    public static final DeliveryStatistics EMPTY = new DeliveryStatistics(0, 0, 0, 0, 0, 0, 0);
}
