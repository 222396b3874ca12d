package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code batch}: routes each message of {@code payload.messages} in order, through the whole
 * pipeline, for the same user and connection, then replies {@code batch_result} with one outcome per
 * item. At most {@link MessageLimits#maxBatchEntries()} items ({@link ErrorCode#BATCH_TOO_LARGE});
 * a batch inside a batch is refused for that item.
 */
final class BatchMessageHandler implements MessageHandler {

    private final MessageParser parser;
    private final Pipeline pipeline;
    private final Telemetry telemetry;

    BatchMessageHandler(MessageParser parser, Pipeline pipeline, Telemetry telemetry) {
        this.parser = parser;
        this.pipeline = pipeline;
        this.telemetry = telemetry;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of(MessageTypes.BATCH);
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        JsonNode items = message.payloadView().get("messages");
        if (items == null || !items.isArray()) {
            context.replyError(ErrorCode.INVALID_PAYLOAD, "'payload.messages' must be an array");
            return true;
        }
        int limit = parser.limits().maxBatchEntries();
        if (items.size() > limit) {
            context.replyError(ErrorCode.BATCH_TOO_LARGE,
                    "batch has " + items.size() + " messages, more than " + limit);
            return true;
        }
        List<Map<String, Object>> results = new ArrayList<>(items.size());
        int handled = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            Map<String, Object> result;
            if (!item.isObject()) {
                result = rejected(i, null, ErrorCode.INVALID_PAYLOAD);
            } else {
                try {
                    Message inner = parser.fromTree(item);
                    if (MessageTypes.BATCH.equals(inner.type()) || inner.isJsonRpc()) {
                        result = rejected(i, inner.type(), inner.isJsonRpc() ? ErrorCode.INVALID_PAYLOAD : ErrorCode.BATCH_TOO_LARGE);
                    } else {
                        RouteOutcome outcome =
                                pipeline.route(context.userId(), context.connectionId().orElse(null), inner);
                        String status = switch (outcome) {
                            case HANDLED -> "handled";
                            case UNHANDLED -> "acknowledged";
                            case FAILED, REJECTED -> "failed";
                        };
                        if (outcome == RouteOutcome.HANDLED) {
                            handled++;
                        }
                        result = Data.of("index", i, "type", inner.type(), "status", status);
                    }
                } catch (MessageFormatException e) {
                    result = rejected(i, null, e.errorCode());
                }
            }
            results.add(result);
        }
        context.reply("batch_result", Data.of("total", items.size(), "handled", handled, "results", results));
        return true;
    }

    private Map<String, Object> rejected(int index, String type, ErrorCode code) {
        telemetry.rejected(code);
        return Data.of("index", index, "type", type, "status", "rejected", "error_code", code.name());
    }
}
