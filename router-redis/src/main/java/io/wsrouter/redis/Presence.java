package io.wsrouter.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This node's presence in Redis and the cluster's, read back. The node's entry is a hash (its user
 * and connection counts) and a hash of its users, both expiring after three heartbeats and refreshed
 * by every heartbeat; the set of node ids only lists candidates: a node counts as live while its hash
 * exists, so liveness rests on Redis's own expiry, not on the nodes' clocks.
 *
 * <p>Every command names one key, so on Redis Cluster each goes to the master of its key's slot and the
 * presence of the nodes spreads over the shards; nothing lists keys (no KEYS, no SCAN): the set of
 * node ids says which keys to read.
 *
 * <p>Users are written when they come and go (batched by the subscription flush), not per
 * heartbeat; a heartbeat that finds the users hash gone (Redis restarted) writes it again in full.
 * Called from the broker's upkeep thread (writes) and from any thread (reads).
 */
final class Presence {

    private static final int CHUNK = 512;

    private final Keys keys;
    private final String nodeId;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final long expiryMillis;
    private final Duration timeout;

    Presence(Keys keys, String nodeId, RedisClusterAsyncCommands<String, String> redis, Duration heartbeat, Duration timeout) {
        this.keys = keys;
        this.nodeId = nodeId;
        this.redis = redis;
        this.expiryMillis = heartbeat.toMillis() * 3;
        this.timeout = timeout;
    }

    /**
     * Refreshes this node's entry.
     *
     * @param users       the users connected here now (read only when the users hash must be rewritten)
     * @param connections the connections here now
     */
    void heartbeat(Supplier<Collection<String>> users, int userCount, long connections) throws Exception {
        redis.sadd(keys.nodes(), nodeId);
        redis.hset(keys.node(nodeId), Map.of("users", Long.toString(userCount), "connections", Long.toString(connections)));
        redis.pexpire(keys.node(nodeId), expiryMillis);
        Boolean usersKept = redis.pexpire(keys.nodeUsers(nodeId), expiryMillis).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!Boolean.TRUE.equals(usersKept) && userCount > 0) {
            added(users.get()); // the hash was lost (a restarted or flushed Redis): write it again
        }
    }

    void added(Collection<String> users) {
        for (List<String> chunk : chunks(users)) {
            Map<String, String> fields = new HashMap<>();
            chunk.forEach(u -> fields.put(u, "1"));
            redis.hset(keys.nodeUsers(nodeId), fields);
        }
        if (!users.isEmpty()) {
            redis.pexpire(keys.nodeUsers(nodeId), expiryMillis);
        }
    }

    void removed(Collection<String> users) {
        for (List<String> chunk : chunks(users)) {
            redis.hdel(keys.nodeUsers(nodeId), chunk.toArray(String[]::new));
        }
    }

    /** Removes this node's entry (a clean shutdown). */
    void leave() throws Exception {
        // Three keys, on a cluster possibly on three masters: wait for each, not only the last one sent.
        CompletableFuture.allOf(redis.srem(keys.nodes(), nodeId).toCompletableFuture(),
                redis.del(keys.node(nodeId)).toCompletableFuture(),
                redis.del(keys.nodeUsers(nodeId)).toCompletableFuture()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the ids of the nodes whose presence has not expired; forgets the others */
    List<String> liveNodes() throws Exception {
        Set<String> candidates = redis.smembers(keys.nodes()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<String> ids = new ArrayList<>(candidates);
        List<CompletableFuture<Long>> exists = new ArrayList<>();
        for (String id : ids) {
            exists.add(redis.exists(keys.node(id)).toCompletableFuture());
        }
        List<String> live = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (exists.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS) > 0) {
                live.add(ids.get(i));
            } else {
                redis.srem(keys.nodes(), ids.get(i));
            }
        }
        return live;
    }

    ClusterPresence read() throws Exception {
        List<String> live = liveNodes();
        List<CompletableFuture<String>> connections = new ArrayList<>();
        List<CompletableFuture<List<String>>> users = new ArrayList<>();
        for (String id : live) {
            connections.add(redis.hget(keys.node(id), "connections").toCompletableFuture());
            users.add(redis.hkeys(keys.nodeUsers(id)).toCompletableFuture());
        }
        long connectionCount = 0;
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < live.size(); i++) {
            String c = connections.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            connectionCount += c == null ? 0 : Long.parseLong(c);
            distinct.addAll(users.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        return new ClusterPresence(live.size(), distinct.size(), connectionCount);
    }

    boolean isConnectedAnywhere(String userId) throws Exception {
        List<CompletableFuture<Boolean>> found = new ArrayList<>();
        for (String id : liveNodes()) {
            found.add(redis.hexists(keys.nodeUsers(id), userId).toCompletableFuture());
        }
        for (CompletableFuture<Boolean> f : found) {
            if (Boolean.TRUE.equals(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS))) {
                return true;
            }
        }
        return false;
    }

    private static List<List<String>> chunks(Collection<String> values) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>(Math.min(CHUNK, values.size()));
        for (String v : values) {
            current.add(v);
            if (current.size() == CHUNK) {
                chunks.add(current);
                current = new ArrayList<>(CHUNK);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }
}
