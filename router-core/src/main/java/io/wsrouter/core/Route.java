package io.wsrouter.core;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link RoutingContext} of one routed message: bound to its user and, when the transport named
 * one, its connection. Replies carry the message's {@code message_id} as {@code correlation_id}.
 */
final class Route implements RoutingContext {

    private final CanonicalMessageRouter router;
    private final String userId;
    private final String connectionId;
    private final Message message;
    private volatile ErrorCode failure;

    Route(CanonicalMessageRouter router, String userId, String connectionId, Message message) {
        this.router = router;
        this.userId = userId;
        this.connectionId = connectionId;
        this.message = message;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public Optional<String> connectionId() {
        return Optional.ofNullable(connectionId);
    }

    @Override
    public boolean reply(String type, Object data) {
        Objects.requireNonNull(type, "type");
        return sendRaw(router.frames().envelope(type, data, message.messageIdOrNull()));
    }

    @Override
    public boolean emitToUser(String type, Object data) {
        Objects.requireNonNull(type, "type");
        return router.sendToUser(userId, router.frames().envelope(type, data, message.messageIdOrNull())) > 0;
    }

    @Override
    public boolean replyError(ErrorCode code, String text) {
        Objects.requireNonNull(code, "code");
        failure = code;
        router.recorder().reject(code);
        return sendRaw(router.frames().error(code, text, message.messageIdOrNull()));
    }

    @Override
    public AgentRun agentRun() {
        String runId = message.runIdOrNull();
        return new RunHandle(router, userId, runId != null ? runId : UUID.randomUUID().toString(),
                message.threadIdOrNull(), message.messageIdOrNull());
    }

    /** Sends a frame that is already serialized (JSON-RPC responses are not enveloped). */
    boolean sendRaw(String frame) {
        return connectionId != null
                ? router.sendToConnection(userId, connectionId, frame)
                : router.sendToUser(userId, frame) > 0;
    }

    Message message() {
        return message;
    }

    boolean failed() {
        return failure != null;
    }
}
