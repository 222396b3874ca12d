package io.wsrouter.core;

/**
 * Step 1 of the pipeline: admission of the connection (registered to the user on its first frame,
 * refused when another user owns it), the per-connection rate limit, and parsing under the limits.
 * Every refusal is counted, logged rate-bounded and answered through {@link Outbound} (except
 * {@code FORBIDDEN}, which must not reach the other user's connection). Thread-safe.
 */
final class Ingress {

    /** The pool's ownership half, or null without a pool. */
    private final ConnectionOwnership ownership;
    /** The per-connection rate limit, or null when off. */
    private final FloodGate floodGate;
    private final MessageParser parser;
    private final Outbound out;
    private final Telemetry telemetry;
    private final java.time.Clock clock;
    /** Told of each registration (a distributed broker subscribes to the user); null without a pool. */
    private final Broker broker;

    Ingress(ConnectionOwnership ownership, FloodGate floodGate, MessageParser parser, Outbound out,
            Telemetry telemetry, java.time.Clock clock, Broker broker) {
        this.broker = broker;
        this.ownership = ownership;
        this.floodGate = floodGate;
        this.parser = parser;
        this.out = out;
        this.telemetry = telemetry;
        this.clock = clock;
    }

    boolean hasPool() {
        return ownership != null;
    }

    /** @return whether the connection belongs to the user now (always true without a pool) */
    boolean admit(String userId, String connectionId) {
        if (ownership == null) {
            return true;
        }
        switch (ownership.admit(userId, connectionId)) {
            case REGISTERED:
                telemetry.recorder.connectionEvents.increment();
                if (broker != null) {
                    broker.connectionOpened(userId, connectionId);
                }
                return true;
            case OWNED:
                return true;
            case FORBIDDEN:
                // No frame: the connection belongs to another user, who must never see this one's errors.
                telemetry.rejected(ErrorCode.FORBIDDEN, userId, connectionId, "the connection belongs to another user");
                return false;
            case LIMIT_REACHED:
                telemetry.rejected(ErrorCode.CONNECTION_LIMIT, userId, connectionId, "the user is at the connection limit");
                return false;
            default:
                telemetry.rejected(ErrorCode.ROUTER_CLOSED);
                return false;
        }
    }

    /** @return whether it was registered */
    boolean unregister(String connectionId) {
        if (ownership == null) {
            return false;
        }
        boolean removed = ownership.unregister(connectionId);
        if (floodGate != null) {
            floodGate.forget(connectionId);
        }
        if (removed) {
            telemetry.recorder.connectionEvents.increment();
        }
        return removed;
    }

    /** A {@code disconnect} message: the connection leaves after its acknowledgement was queued. */
    void disconnect(String userId, String connectionId) {
        if (ownership != null && connectionId != null) {
            ownership.unregister(userId, connectionId);
        }
    }

    /** Takes {@code permits} tokens from the connection's bucket, or rejects with RATE_LIMITED. */
    boolean acquire(String userId, String connectionId, int permits) {
        if (floodGate == null) {
            return true;
        }
        long now = clock.millis();
        if (floodGate.tryAcquire(connectionId, permits, now)) {
            return true;
        }
        telemetry.rejected(ErrorCode.RATE_LIMITED, userId, connectionId, "over the rate limit");
        out.toConnection(userId, connectionId, out.frames().error(ErrorCode.RATE_LIMITED, floodGate.refusal(), null));
        return false;
    }

    boolean rateLimited() {
        return floodGate != null;
    }

    /**
     * Parses a frame; on failure counts and logs the rejection and answers the sender (its connection,
     * or every connection of the user when null) with an error frame, or a JSON-RPC error carrying the
     * request's id when the frame looks like JSON-RPC.
     *
     * @return the message, or null when it was rejected
     */
    Message parse(String userId, String connectionId, String frame) {
        try {
            return parser.parse(frame);
        } catch (MessageFormatException e) {
            ErrorCode code = e.errorCode();
            telemetry.rejected(code, userId, connectionId, e.getMessage());
            String reply = JsonRpcHandler.looksLikeJsonRpc(frame)
                    ? JsonRpcHandler.errorForRejectedFrame(code, e.getMessage(), parser.readableId(frame))
                    : out.frames().error(code, e.getMessage(), null);
            out.reply(userId, connectionId, reply);
            return null;
        }
    }

    /** @return the message's claimed {@code connection_id} when the user owns it, else null */
    String ownedConnection(String userId, Message message) {
        if (ownership == null) {
            return null;
        }
        return message.connectionId()
                .filter(id -> ownership.ownerOf(id).filter(userId::equals).isPresent())
                .orElse(null);
    }
}
