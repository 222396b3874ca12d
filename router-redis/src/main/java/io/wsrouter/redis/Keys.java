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
        return prefix + '{' + tag(userId) + "}:m";
    }

    String stream(String userId) {
        return prefix + '{' + tag(userId) + "}:s";
    }

    String channel(String userId) {
        return prefix + '{' + tag(userId) + "}:c";
    }

    /**
     * The user id as the key's hash tag. Redis hashes what lies between the first <code>{</code> and
     * the next <code>}</code> when that is not empty, else the whole key: an empty id or one starting
     * with <code>}</code> would put a user's keys in different slots (CROSSSLOT on a cluster), so such
     * ids, and those starting with the marker {@code ~} (to keep the mapping one to one), get a
     * {@code ~} in front.
     */
    private static String tag(String userId) {
        return userId.isEmpty() || userId.charAt(0) == '}' || userId.charAt(0) == '~' ? '~' + userId : userId;
    }

    /** @return the user of a channel name made by {@link #channel}, or null when it is not one */
    String userOf(String channel) {
        int start = prefix.length() + 1;
        int end = channel.length() - 3;
        if (end < start || !channel.startsWith(prefix) || channel.charAt(start - 1) != '{' || !channel.endsWith("}:c")) {
            return null;
        }
        String tag = channel.substring(start, end);
        return tag.startsWith("~") ? tag.substring(1) : tag;
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
