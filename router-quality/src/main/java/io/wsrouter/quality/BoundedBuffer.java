package io.wsrouter.quality;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A FIFO of at most {@code capacity} elements: adding to a full buffer drops the oldest. Each
 * instance has its own lock, held only to add or copy, so buffers of different agents or content
 * types never contend.
 */
final class BoundedBuffer<T> {

    private final int capacity;
    private final ArrayDeque<T> items;

    BoundedBuffer(int capacity) {
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 64));
    }

    synchronized void add(T item) {
        if (items.size() == capacity) {
            items.removeFirst();
        }
        items.addLast(item);
    }

    synchronized int size() {
        return items.size();
    }

    /** @return a copy of the newest {@code n} elements, oldest first */
    synchronized List<T> last(int n) {
        int skip = Math.max(0, items.size() - n);
        List<T> out = new ArrayList<>(items.size() - skip);
        Iterator<T> it = items.iterator();
        for (int i = 0; it.hasNext(); i++) {
            T item = it.next();
            if (i >= skip) {
                out.add(item);
            }
        }
        return out;
    }

    /** @return a copy of every element, oldest first */
    synchronized List<T> all() {
        return new ArrayList<>(items);
    }
}
