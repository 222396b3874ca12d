package io.wsrouter.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
}
