package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * {@code resume}: {@code {"type":"resume","payload":{"epoch":"k3f9","offset":41}}} replays to the
 * sender's connection every event of its user after {@code offset} still in the broker's history,
 * then answers {@code resume_result}. A malformed resume (no connection, {@code epoch} not a string,
 * {@code offset} not a non-negative integer) gets {@link ErrorCode#INVALID_RESUME} and changes nothing.
 */
final class ResumeHandler implements MessageHandler {

    private final Broker broker;
    private final Frames frames;

    ResumeHandler(Broker broker, Frames frames) {
        this.broker = broker;
        this.frames = frames;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("resume");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        Optional<String> connection = context.connectionId();
        if (connection.isEmpty()) {
            context.replyError(ErrorCode.INVALID_RESUME, "resume needs the connection to replay to");
            return true;
        }
        JsonNode epoch = message.payloadField("epoch").orElse(null);
        JsonNode offset = message.payloadField("offset").orElse(null);
        if (epoch == null || !epoch.isTextual()) {
            context.replyError(ErrorCode.INVALID_RESUME, "resume needs payload.epoch, a string");
            return true;
        }
        if (offset == null || !offset.isIntegralNumber() || !offset.canConvertToLong() || offset.longValue() < 0) {
            context.replyError(ErrorCode.INVALID_RESUME, "resume needs payload.offset, an integer >= 0");
            return true;
        }
        String correlation = message.messageIdOrNull();
        broker.resume(context.userId(), connection.get(), epoch.textValue(), offset.longValue(),
                result -> frames.envelope("resume_result", result.toMap(), correlation));
        return true;
    }
}
