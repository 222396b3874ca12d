package io.wsrouter.core;

/** How one routed message ended, as told to a {@link RoutingObserver}. */
public enum RouteOutcome {
    /** A handler or the quality sub-dispatcher handled it. */
    HANDLED,
    /** Nobody handled it; the sender got an {@code ack}. */
    UNHANDLED,
    /** A handler failed or answered with an error frame. */
    FAILED,
    /** Refused before routing (bad input, forbidden connection, limits, closed router). */
    REJECTED
}
