package io.wsrouter.events;

/**
 * What a {@link ConnectionPool} does when a frame arrives for a connection whose outbound queue is
 * full (it holds {@code maxQueuedFrames} frames, or adding the frame would pass
 * {@code maxQueuedBytes}). Either way the event is counted in
 * {@link io.wsrouter.core.DeliveryStatistics}; the emitting thread never waits.
 *
 * <pre>{@code
 * ConnectionPool pool = ConnectionPool.builder(manager)
 *         .overflowPolicy(OverflowPolicy.DROP_OLDEST)   // a "latest state wins" stream
 *         .build();
 * }</pre>
 */
public enum OverflowPolicy {

    /**
     * Drop the oldest queued frames until the new one fits, and queue it. The connection stays
     * open, but its client silently misses the dropped frames (counted in {@code framesDropped}).
     * Suits streams where the latest frame supersedes the earlier ones (progress, dashboards).
     */
    DROP_OLDEST,

    /**
     * Refuse the new frame, drop everything queued, and remove the connection from the pool
     * (counted in {@code connectionsClosedSlow} and {@code framesDropped}); the pool's
     * {@link io.wsrouter.core.ConnectionListener}s are told, so the host can close the socket and
     * the client reconnects and resynchronises. The default: a client that fell this far behind
     * gets a visible failure instead of a stream with holes in it.
     */
    CLOSE_CONNECTION
}
