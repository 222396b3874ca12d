package io.wsrouter.core;

/** What became of one outbound frame, as told to a {@link DeliveryObserver}. */
public enum DeliveryOutcome {
    /** The transport completed the send. */
    SENT,
    /** Dropped by the overflow policy, or because its connection went away before it was sent. */
    DROPPED,
    /** The transport's send failed (threw, returned null, or completed exceptionally). */
    FAILED
}
