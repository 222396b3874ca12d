package io.wsrouter.core;

/**
 * The router's one outbound seam: builds every outbound frame (the envelope, error frames) and hands
 * it to delivery, and knows whether the router is closed. {@link Route}, {@link RunHandle}, the
 * built-in handlers and the sub-dispatcher host send through it and through nothing else.
 *
 * <p>Two paths leave it, and they are kept apart on purpose:
 * <ul>
 *   <li>{@link #emit}: the user's event stream ({@code emitToUser}, {@link RoutingContext#emitToUser},
 *       agent run events, quality alerts). This is the point a broker that sequences each user's
 *       stream sequences: the {@link StreamDelivery} given to the constructor.</li>
 *   <li>{@link #toConnection} / {@link #toUser}: replies to the sender (also error frames and JSON-RPC
 *       responses), never sequenced.</li>
 * </ul>
 * Without a pool both targets are a delivery that accepts nothing. Thread-safe.
 */
final class Outbound {

    /** The delivery of a router without a pool: nothing is accepted. */
    static final FrameDelivery NOWHERE = new FrameDelivery() {
        @Override
        public boolean sendToConnection(String userId, String connectionId, String frame) {
            return false;
        }

        @Override
        public int sendToUser(String userId, String frame) {
            return 0;
        }

        @Override
        public DeliveryStatistics deliveryStatistics() {
            return DeliveryStatistics.EMPTY;
        }
    };

    private final Frames frames;
    private final FrameDelivery replies;
    /** The user's event stream through the router's broker; null without a pool (nothing is delivered). */
    private final StreamDelivery stream;
    private volatile boolean closed;

    /**
     * @param replies where replies to a sender go (the pool)
     * @param stream  where the user's event stream goes (its broker, then the pool); null without a pool
     */
    Outbound(Frames frames, FrameDelivery replies, StreamDelivery stream) {
        this.frames = frames;
        this.replies = replies;
        this.stream = stream;
    }

    Frames frames() {
        return frames;
    }

    /** @return whether frames can reach anyone at all (a pool is configured) */
    boolean delivers() {
        return replies != NOWHERE;
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
    }

    /** A reply (or error frame) to one connection of the user. */
    boolean toConnection(String userId, String connectionId, String frame) {
        return !closed && replies.sendToConnection(userId, connectionId, frame);
    }

    /** A reply to every connection of the user (for messages that arrived without a connection). */
    int toUser(String userId, String frame) {
        return closed ? 0 : replies.sendToUser(userId, frame);
    }

    /** A reply to the connection when there is one, else to every connection of the user. */
    boolean reply(String userId, String connectionId, String frame) {
        return connectionId != null ? toConnection(userId, connectionId, frame) : toUser(userId, frame) > 0;
    }

    /**
     * An event of the user's stream, in its envelope (from {@link Frames#buffer}); releases the frame.
     *
     * @return the number of connections that accepted it
     */
    int emit(String userId, FrameBuffer frame) {
        try {
            return closed || stream == null ? 0 : stream.publish(userId, frame);
        } finally {
            frame.release();
        }
    }

    /**
     * Builds the envelope of an event and emits it to the user's stream.
     *
     * @return the number of connections that accepted it
     * @throws IllegalArgumentException when data cannot be serialized
     */
    int emitEvent(String userId, String eventType, Object data) {
        if (closed || !delivers()) {
            return 0;
        }
        FrameBuffer frame;
        try {
            frame = frames.buffer(eventType, data, null, null, null, null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot serialize the data of event '" + eventType + "'", e);
        }
        return emit(userId, frame);
    }

    DeliveryStatistics deliveryStatistics() {
        return replies.deliveryStatistics();
    }
}
