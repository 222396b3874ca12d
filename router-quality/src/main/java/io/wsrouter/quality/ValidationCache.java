package io.wsrouter.quality;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gate's bounded result cache: least recently used entries go first. The lock is held for the
 * map operation only, never while a text is scored.
 */
final class ValidationCache {

    /**
     * What a result depends on: the legacy key ({@code type}, MD5 of the content, strict) plus the
     * context fingerprint (legacy bug 3: relevance reads {@code user_request} and hallucination risk
     * reads {@code data_source}, yet the legacy key ignored the context).
     */
    record Key(ContentType type, String contentMd5, boolean strict, String userRequestMd5, boolean hasDataSource) {
    }

    private final int capacity;
    private final LinkedHashMap<Key, ValidationResult> map;

    ValidationCache(int capacity) {
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, ValidationResult> eldest) {
                return size() > ValidationCache.this.capacity;
            }
        };
    }

    synchronized ValidationResult get(Key key) {
        return capacity == 0 ? null : map.get(key);
    }

    synchronized void put(Key key, ValidationResult result) {
        if (capacity > 0) {
            map.put(key, result);
        }
    }

    synchronized void clear() {
        map.clear();
    }

    synchronized int size() {
        return map.size();
    }
}
