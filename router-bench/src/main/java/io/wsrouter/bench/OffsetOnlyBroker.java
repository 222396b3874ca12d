package io.wsrouter.bench;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The floor of any broker that keeps per-user state beside the pool: a {@link UnsequencedBroker} that
 * also counts each user's offset (one map lookup, one lock, one increment) and hands the frame to the
 * pool unchanged, with no stamp and no history. Not a usable broker (its frames carry no offset and it
 * cannot resume): it measures what the lookup of a user's state costs by itself when that state is not
 * in cache, so that the in-memory broker's W2 cost can be split into that floor and its own work.
 */
final class OffsetOnlyBroker extends UnsequencedBroker {

    private final ConcurrentHashMap<String, Counter> offsets = new ConcurrentHashMap<>();

    @Override
    public int publish(String userId, String frame) {
        Counter c = offsets.get(userId);
        if (c == null) {
            c = offsets.computeIfAbsent(userId, u -> new Counter());
        }
        synchronized (c) {
            c.offset++;
            return outlet.sendToUser(userId, frame);
        }
    }

    private static final class Counter {
        long offset;
    }
}
