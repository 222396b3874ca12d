package io.wsrouter.micrometer;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Tag values a client's input can reach, kept to a bound: a value gets its own entry (and so its own
 * meters) only when {@code admit} allows it and fewer than {@code max} values have one; every other
 * value shares the {@code overflow} entry. Lookups of admitted values are one concurrent-map read.
 * Thread-safe; admission is serialised on the lock given (it is rare: at most {@code max} times), so
 * that the owner can make an entry's meters and bind registries under the same lock.
 *
 * @param <T> what each value holds (its meters)
 */
final class BoundedTags<T> {

    private final ConcurrentHashMap<String, T> entries = new ConcurrentHashMap<>();
    private final int max;
    private final Function<String, T> factory;
    private final T overflow;
    private final Object lock;

    BoundedTags(Object lock, int max, Function<String, T> factory, String overflowValue) {
        this.lock = lock;
        this.max = max;
        this.factory = factory;
        this.overflow = factory.apply(overflowValue);
    }

    /** @return the entry of an admitted value, or null when it has none (yet) */
    T find(String value) {
        return entries.get(value);
    }

    /**
     * @param admit whether this value may get an entry of its own (the bound still applies)
     * @return the value's entry, newly made when admitted, or the overflow entry
     */
    T get(String value, boolean admit) {
        T entry = entries.get(value);
        if (entry != null) {
            return entry;
        }
        if (!admit) {
            return overflow;
        }
        synchronized (lock) {
            entry = entries.get(value);
            if (entry != null) {
                return entry;
            }
            if (entries.size() >= max) {
                return overflow;
            }
            entry = factory.apply(value);
            entries.put(value, entry);
            return entry;
        }
    }

    /** @return the overflow entry */
    T overflow() {
        return overflow;
    }

    /** @return a snapshot of the admitted entries (the overflow entry not included) */
    List<T> admitted() {
        return List.copyOf(entries.values());
    }
}
