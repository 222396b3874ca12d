package io.wsrouter.redis;

/**
 * The names of everything the broker keeps in Redis. A user's keys and channel share the hash tag
 * {@code {userId}}, so on Redis Cluster they live in one slot: the publish script touches two keys of
 * one slot and its sharded channel is served by the same shard.
 *
 * <pre>
 *   {prefix}{alice}:m        hash   e = epoch, o = last offset (the stream's position)
 *   {prefix}{alice}:s        stream entries with id "offset-0", field f = the stamped frame
 *   {prefix}{alice}:c        channel "epoch:offset:stamped frame"
 *   {prefix}nodes            zset   node id, score = the time its presence expires (ms)
 *   {prefix}node:{id}        hash   users, connections of the node (expires after 3 heartbeats)
 *   {prefix}node:{id}:users  hash   user id -> 1 for every user with a connection on the node
 * </pre>
 */
final class Keys {

    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String meta(String userId) {
        return prefix + '{' + userId + "}:m";
    }

    String stream(String userId) {
        return prefix + '{' + userId + "}:s";
    }

    String channel(String userId) {
        return prefix + '{' + userId + "}:c";
    }

    /** @return the user of a channel name made by {@link #channel}, or null when it is not one */
    String userOf(String channel) {
        int start = prefix.length() + 1;
        int end = channel.length() - 3;
        if (end < start || !channel.startsWith(prefix) || channel.charAt(start - 1) != '{' || !channel.endsWith("}:c")) {
            return null;
        }
        return channel.substring(start, end);
    }

    String nodes() {
        return prefix + "nodes";
    }

    String node(String nodeId) {
        return prefix + "node:" + nodeId;
    }

    String nodeUsers(String nodeId) {
        return prefix + "node:" + nodeId + ":users";
    }
}
