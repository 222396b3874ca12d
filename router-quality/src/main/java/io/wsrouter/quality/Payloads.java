package io.wsrouter.quality;

import io.wsrouter.core.WireJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import java.util.Map;
import java.util.Optional;

/** Typed reads of payload fields for the quality handlers; a wrong JSON type is a {@link BadPayload}. */
final class Payloads {

    private Payloads() {
    }

    /**
     * @return the field's text; empty when absent or JSON null
     * @throws BadPayload with {@code wrongType} when the field is not a string
     */
    static Optional<String> text(Message message, String field, ErrorCode wrongType) throws BadPayload {
        Optional<JsonNode> node = message.payloadField(field);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (!node.get().isTextual()) {
            throw new BadPayload(wrongType, "'" + field + "' must be a string");
        }
        return Optional.of(node.get().textValue());
    }

    /** @throws BadPayload INVALID_PAYLOAD when present and not a JSON boolean */
    static boolean bool(Message message, String field, boolean absent) throws BadPayload {
        Optional<JsonNode> node = message.payloadField(field);
        if (node.isEmpty()) {
            return absent;
        }
        if (!node.get().isBoolean()) {
            throw new BadPayload(ErrorCode.INVALID_PAYLOAD, "'" + field + "' must be true or false");
        }
        return node.get().booleanValue();
    }

    /** @throws BadPayload INVALID_PAYLOAD when present and not an integer in [min, max] */
    static int integer(Message message, String field, int absent, int min, int max) throws BadPayload {
        Optional<JsonNode> node = message.payloadField(field);
        if (node.isEmpty()) {
            return absent;
        }
        JsonNode n = node.get();
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            throw new BadPayload(ErrorCode.INVALID_PAYLOAD, "'" + field + "' must be an integer from " + min + " to " + max);
        }
        return n.intValue();
    }

    /** @throws BadPayload INVALID_PAYLOAD when present and not a JSON object */
    static Map<String, Object> object(Message message, String field) throws BadPayload {
        Optional<JsonNode> node = message.payloadField(field);
        if (node.isEmpty()) {
            return null;
        }
        if (!node.get().isObject()) {
            throw new BadPayload(ErrorCode.INVALID_PAYLOAD, "'" + field + "' must be an object");
        }
        return WireJson.toMap(node.get());
    }
}
