package io.wsrouter.quality;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/** Conversions of the module's value types to JSON-ready maps and trees, with their wire names. */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private Json() {
    }

    /** @return the value's wire form as a mutable map */
    static Map<String, Object> toMap(Object value) {
        return MAPPER.convertValue(value, MAP);
    }

    /** @return the value's wire form as a tree (anything Jackson can serialize) */
    static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
