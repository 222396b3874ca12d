package io.wsrouter.core;

/**
 * SPI, the delivery half of a connection pool: hands serialized frames to one connection or to every
 * connection of a user. It is the one narrow interface to decorate when delivery must be intercepted
 * (sequencing a user's stream, fanning out across nodes): three methods, where
 * {@link ConnectionRegistry} has fourteen. {@code io.wsrouter.events.ConnectionPool} implements it
 * (through {@link ConnectionRegistry}).
 *
 * <p><b>Contract.</b> A frame is delivered only to connections the named user owns, never to
 * another user's. Frames given to one connection leave in the order given. Sending never blocks the
 * caller on a slow socket.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use by many threads, without
 * a global lock on the send path.
 *
 * <pre>{@code
 * FrameDelivery counting = new FrameDelivery() {     // a decorator
 *     public boolean sendToConnection(String u, String c, String f) { return pool.sendToConnection(u, c, f); }
 *     public int sendToUser(String u, String f) { sent.increment(); return pool.sendToUser(u, f); }
 *     public DeliveryStatistics deliveryStatistics() { return pool.deliveryStatistics(); }
 * };
 * }</pre>
 */
public interface FrameDelivery {

    /**
     * Queues one frame for one connection of the user.
     *
     * @param userId       the user, who must own the connection
     * @param connectionId the connection
     * @param frame        the serialized frame, sent as is
     * @return whether the frame was accepted (the connection exists, belongs to the user, and is open)
     */
    boolean sendToConnection(String userId, String connectionId, String frame);

    /**
     * Queues one frame for every connection of the user.
     *
     * @param userId the user
     * @param frame  the serialized frame, sent as is
     * @return the number of connections that accepted the frame
     */
    int sendToUser(String userId, String frame);

    /** {@return a snapshot of the delivery figures} */
    DeliveryStatistics deliveryStatistics();

    /**
     * Asks the implementation to report each frame's outcome (sent, dropped, failed) to the observer,
     * from the thread that learns it. Called at most once, by the router that was built with an
     * observer, before any frame. The default ignores it (outcomes are then only in
     * {@link #deliveryStatistics()}).
     *
     * @param observer told of every outcome; must be fast and must not throw
     */
    default void observeDelivery(DeliveryObserver observer) {
    }
}
