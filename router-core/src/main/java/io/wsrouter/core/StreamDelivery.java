package io.wsrouter.core;

/**
 * Joins a {@link Broker} to the router's delivery: the user's event stream ({@link #publish}) goes
 * through the broker, which sequences it and hands it back to the pool through the
 * {@link Broker.Outlet} side. The seam's {@code stream} target.
 */
final class StreamDelivery {

    private final ConnectionRegistry pool;
    private final Broker broker;

    private StreamDelivery(ConnectionRegistry pool, Broker broker) {
        this.pool = pool;
        this.broker = broker;
    }

    /** Binds the broker to the pool and tells it of every removal. */
    static StreamDelivery bind(ConnectionRegistry pool, Broker broker) {
        StreamDelivery delivery = new StreamDelivery(pool, broker);
        broker.bind(delivery.outlet());
        pool.addListener((user, connection, reason) -> broker.connectionClosed(user, connection));
        return delivery;
    }

    /**
     * An event of the user's stream, serialized by the router: the in-memory broker stamps it in place
     * (one {@code String} per event); any other broker gets it as a {@code String} through
     * {@link Broker#publish}. The caller keeps the frame and releases it.
     *
     * @return the number of this node's connections it was handed to
     */
    int publish(String userId, FrameBuffer frame) {
        return broker instanceof InMemoryBroker
                ? ((InMemoryBroker) broker).publish(userId, frame)
                : broker.publish(userId, frame.plain());
    }

    private boolean isConnected(String userId) {
        return !pool.connectionsOf(userId).isEmpty();
    }

    /** The outlet side, given to the broker: straight to the pool. */
    private Broker.Outlet outlet() {
        return new Broker.Outlet() {
            @Override
            public int sendToUser(String userId, String frame) {
                return pool.sendToUser(userId, frame);
            }

            @Override
            public boolean sendToConnection(String userId, String connectionId, String frame) {
                return pool.sendToConnection(userId, connectionId, frame);
            }

            @Override
            public boolean isConnected(String userId) {
                return StreamDelivery.this.isConnected(userId);
            }
        };
    }
}
