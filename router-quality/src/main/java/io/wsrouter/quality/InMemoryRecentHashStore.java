package io.wsrouter.quality;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The in-memory {@link RecentHashStore}: a list of hashes, newest first, trimmed to its capacity.
 * One short lock per call; the scan covers at most {@code window} entries.
 */
final class InMemoryRecentHashStore implements RecentHashStore {

    private final int window;
    private final int capacity;
    private final ArrayDeque<String> newestFirst = new ArrayDeque<>();

    InMemoryRecentHashStore(int window, int capacity) {
        this.window = window;
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean seenOrRecord(String md5Hex) {
        Iterator<String> it = newestFirst.iterator();
        for (int i = 0; i < window && it.hasNext(); i++) {
            if (it.next().equals(md5Hex)) {
                return true;
            }
        }
        newestFirst.addFirst(md5Hex);
        if (newestFirst.size() > capacity) {
            newestFirst.removeLast();
        }
        return false;
    }

    synchronized int size() {
        return newestFirst.size();
    }
}
