package io.wsrouter.core;

/**
 * Figures of a {@link Broker}; an immutable snapshot.
 *
 * @param published            events sequenced (given an offset)
 * @param unrouted             events for a user without a stream on this node (no connection within
 *                             {@code historyTtl}): reached nobody, kept nowhere
 * @param resumesRecovered     resumes that replayed everything the client missed
 * @param resumesNotRecovered  resumes answered {@code recovered:false} (wrong epoch, trimmed history)
 * @param eventsReplayed       events sent again by resumes
 * @param eventsEvicted        events dropped from history by the memory bound before their age or the
 *                             per-user size would have dropped them (the in-memory broker counts an
 *                             event when its user's stream next publishes, resumes or expires)
 * @param historyEvents        events in history now (the in-memory broker: in the users' indexes, of
 *                             which those written over since their user's stream was last touched are
 *                             counted out at its next publish, resume or expiry)
 * @param historyBytes         bytes of history now (the in-memory broker: of its log in use, at most
 *                             {@code maxHistoryBytes})
 * @param streams              users whose stream is kept now
 * @param gapsFilled           gaps in a user's offsets filled from shared history (distributed brokers)
 * @param outageMillis         total time the broker's backing store was unreachable (distributed brokers)
 */
public record BrokerStatistics(long published, long unrouted, long resumesRecovered, long resumesNotRecovered,
                               long eventsReplayed, long eventsEvicted, long historyEvents, long historyBytes,
                               long streams, long gapsFilled, long outageMillis) {

    /** All zero. */
    public static final BrokerStatistics EMPTY = new BrokerStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
