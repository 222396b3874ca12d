package io.wsrouter.quality;

/**
 * SPI of the default gate's novelty score: remembers the hashes of recently validated texts. The
 * default is {@link #inMemory()}; a host with several nodes can back it with a shared store (a
 * Redis list {@code quality:recent_hashes} in the legacy design).
 *
 * <p>The gate asks {@link #seenOrRecord(String)} once per validated text (cache hits excepted):
 * novelty is 0.0 when the text was seen recently, 0.8 when it is new, and 0.5 when the store throws.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use.
 *
 * <pre>{@code
 * QualityGateService gate = QualityGateService.builder()
 *         .recentHashStore(RecentHashStore.inMemory(100, 1000))
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface RecentHashStore {

    /** How many of the most recent hashes make a text "seen recently": 100. */
    int DEFAULT_WINDOW = 100;
    /** How many hashes the in-memory store keeps: 1000. */
    int DEFAULT_CAPACITY = 1000;

    /**
     * Tells whether the hash is among the most recent ones; when it is not, records it as the most
     * recent.
     *
     * @param md5Hex the MD5 of the UTF-8 text, lowercase hex
     * @return {@code true} when it was seen recently (and nothing was recorded)
     * @throws Exception when the store fails; the gate then uses novelty 0.5
     */
    boolean seenOrRecord(String md5Hex) throws Exception;

    /** {@return an in-memory store with the legacy bounds: window 100, capacity 1000} */
    static RecentHashStore inMemory() {
        return new InMemoryRecentHashStore(DEFAULT_WINDOW, DEFAULT_CAPACITY);
    }

    /**
     * Creates an in-memory store of recent text hashes.
     *
     * @param window   how many of the most recent hashes count as seen; &gt; 0
     * @param capacity how many hashes are kept; &ge; window
     * @return an in-memory store
     * @throws IllegalArgumentException when a bound is out of range
     */
    static RecentHashStore inMemory(int window, int capacity) {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be > 0 but was " + window);
        }
        if (capacity < window) {
            throw new IllegalArgumentException("capacity must be >= window (" + window + ") but was " + capacity);
        }
        return new InMemoryRecentHashStore(window, capacity);
    }
}
