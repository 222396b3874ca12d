package io.wsrouter.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageFormatException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conversions between the legacy dicts the facades take and the canonical router's inputs. Nothing
 * here routes, registers or delivers: that stays in the canonical router and its pool.
 */
final class LegacyMaps {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private LegacyMaps() {
    }

    /**
     * @return the map as one JSON text
     * @throws IllegalArgumentException when a value cannot be serialized with Jackson
     */
    static String toJson(Map<String, ?> map) {
        try {
            return MAPPER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            // The original message names types, never values, so it is safe to pass on.
            throw new IllegalArgumentException("the map cannot be serialized to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @return the legacy message dict as a {@link Message}, under the rules of the router's ingress
     * @throws MessageFormatException with the code of the first rule the map breaks; a value Jackson
     *                                cannot convert is {@link ErrorCode#INVALID_JSON}
     */
    static Message toMessage(Map<String, Object> raw) throws MessageFormatException {
        try {
            return Message.fromMap(raw);
        } catch (IllegalArgumentException e) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "the message cannot be converted to JSON", e);
        }
    }

    /** @return the {@code data} of an {@code error_message} frame, in the canonical router's shape */
    static Map<String, Object> errorData(ErrorCode code, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error_code", code.name());
        data.put("error_message", message);
        data.put("details", Map.of());
        return data;
    }
}
