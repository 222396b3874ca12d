package io.wsrouter.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The JSON conversions of the wsrouter modules, done with the one configured {@code ObjectMapper}
 * the router parses and writes frames with (its configuration lives in one place, core's parser), so
 * that a module's maps, trees and texts come out exactly as the router's own frames do: floats kept
 * as exact decimals, dates as Jackson writes them by default, records by their component names.
 *
 * <p>Thread-safe; stateless apart from the immutable mapper.
 *
 * <pre>{@code
 * Map<String, Object> data = WireJson.toMap(alert);          // a record's wire form, as a map
 * String text = WireJson.write(Map.of("type", "ping"));       // {"type":"ping"}
 * }</pre>
 */
public final class WireJson {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private WireJson() {
    }

    /**
     * Serializes a value to JSON text in the wire form.
     *
     * @param value a map, record, tree or any value Jackson can serialize
     * @return the value as one JSON text
     * @throws IllegalArgumentException when it cannot be serialized (the message names types, never values)
     */
    public static String write(Object value) {
        try {
            return MessageParser.DEFAULT.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the value cannot be serialized to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Converts a value to its wire form as a map.
     *
     * @param value a map, record or bean that is an object in JSON
     * @return the value's wire form as a new mutable map
     * @throws IllegalArgumentException when it is not an object in JSON, or cannot be serialized
     */
    public static Map<String, Object> toMap(Object value) {
        return MessageParser.DEFAULT.mapper().convertValue(value, MAP);
    }

    /**
     * Converts a value to its wire form as a JSON tree.
     *
     * @param value a map, record or any value Jackson can serialize
     * @return the value's wire form as a tree
     * @throws IllegalArgumentException when it cannot be serialized
     */
    public static JsonNode toTree(Object value) {
        return MessageParser.DEFAULT.mapper().valueToTree(value);
    }
}
