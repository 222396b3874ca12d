package io.wsrouter.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small ordered maps for reply data, with null values left out. */
final class Data {

    private Data() {
    }

    static Map<String, Object> of(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>(keyValues.length);
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }
}
