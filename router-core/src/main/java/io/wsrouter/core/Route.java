package io.wsrouter.core;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link RoutingContext} of one routed message: bound to its user and, when the transport named
 * one, its connection. Replies carry the message's {@code message_id} as {@code correlation_id}.
 */
final class Route implements RoutingContext {

    private final Outbound out;
    private final Telemetry telemetry;
    private final String userId;
    private final String connectionId;
    private final Message message;
    private volatile ErrorCode failure;
    /** The name of the handler that handled the message, for observers; null until one did. */
    private String handledBy;

    Route(Outbound out, Telemetry telemetry, String userId, String connectionId, Message message) {
        this.out = out;
        this.telemetry = telemetry;
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
        return sendRaw(out.frames().envelope(type, data, message.messageIdOrNull()));
    }

    @Override
    public boolean emitToUser(String type, Object data) {
        Objects.requireNonNull(type, "type");
        return out.emit(userId, out.frames().buffer(type, data, message.messageIdOrNull(), null, null, null)) > 0;
    }

    @Override
    public boolean replyError(ErrorCode code, String text) {
        Objects.requireNonNull(code, "code");
        failure = code;
        telemetry.rejected(code);
        return sendRaw(out.frames().error(code, text, message.messageIdOrNull()));
    }

    @Override
    public AgentRun agentRun() {
        String runId = message.runIdOrNull();
        return new RunHandle(out, userId, runId != null ? runId : UUID.randomUUID().toString(),
                message.threadIdOrNull(), message.messageIdOrNull());
    }

    /** Sends a frame that is already serialized (JSON-RPC responses are not enveloped). */
    boolean sendRaw(String frame) {
        return out.reply(userId, connectionId, frame);
    }

    String connectionIdOrNull() {
        return connectionId;
    }

    Message message() {
        return message;
    }

    void handledBy(String handler) {
        handledBy = handler;
    }

    String handledBy() {
        return handledBy;
    }

    boolean failed() {
        return failure != null;
    }
}
