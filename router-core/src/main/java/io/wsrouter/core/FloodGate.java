package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inbound rate limit: one {@link TokenBucket} per registered connection. Buckets are created on a
 * connection's first message and leave with the connection (a registry listener and
 * {@link #forget}), so the map holds at most one bucket per registered connection. Thread-safe:
 * routing threads only contend on the bucket of the connection they route for.
 */
final class FloodGate {

    private final RateLimit limit;
    private final ConnectionOwnership registry;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    FloodGate(RateLimit limit, ConnectionOwnership registry) {
        this.limit = limit;
        this.registry = registry;
        registry.addListener((user, connection, reason) -> buckets.remove(connection));
    }

    /** @return whether the connection may send {@code permits} more messages now (taking them if so) */
    boolean tryAcquire(String connectionId, int permits, long nowMillis) {
        if (permits <= 0) {
            return true;
        }
        TokenBucket bucket = buckets.get(connectionId);
        if (bucket == null) {
            bucket = buckets.computeIfAbsent(connectionId, c -> new TokenBucket(limit, nowMillis));
            if (registry.ownerOf(connectionId).isEmpty()) {
                // Unregistered meanwhile: its removal listener already ran, so drop the bucket here.
                buckets.remove(connectionId, bucket);
            }
        }
        return bucket.tryAcquire(permits, nowMillis);
    }

    void forget(String connectionId) {
        buckets.remove(connectionId);
    }

    /** @return the text of the RATE_LIMITED error frame */
    String refusal() {
        return "too many messages: the limit is " + limit.messagesPerSecond() + "/s with bursts of " + limit.burst();
    }

    /** @return how many messages a message stands for: its entries for batches, else 1 */
    static int entries(Message message) {
        if (MessageTypes.BATCH.equals(message.type())) {
            JsonNode items = message.payloadView().get("messages");
            return items != null && items.isArray() ? Math.max(1, items.size()) : 1;
        }
        if (MessageTypes.JSONRPC_BATCH.equals(message.type())) {
            return Math.max(1, message.jsonRpcView().size());
        }
        return 1;
    }
}
