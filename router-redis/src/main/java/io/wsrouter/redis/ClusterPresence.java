package io.wsrouter.redis;

/**
 * Who is connected across every node that shares one Redis, from the nodes' heartbeats; an immutable
 * snapshot (see {@link RedisBroker#presence()}). A node that stopped without closing its broker drops
 * out within three heartbeat intervals (its presence keys expire).
 *
 * @param nodes       live nodes (brokers whose heartbeat has not expired)
 * @param users       distinct users with at least one connection on some live node
 * @param connections connections on all live nodes together
 */
public record ClusterPresence(int nodes, long users, long connections) {
}
