package io.wsrouter.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.wsrouter.core.Broker;
import io.wsrouter.core.BrokerStatistics;
import io.wsrouter.core.ResumeResult;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * W4's peer: the design most Redis adapters use (Socket.IO's redis adapter, many hand-written ones):
 * one channel every node subscribes to; each node receives every event of the cluster and drops those
 * for users it has no connection of. It sequences and keeps history exactly as {@code RedisBroker}
 * does (the same kind of Lua script: offset, XADD, publish), so the comparison is about the fan-out
 * alone; it has no ordering or gap filling of its own (which only flatters it). Benchmark code only.
 */
final class NaiveSharedChannel implements Broker {

    static final String CHANNEL = "naive:all";

    private static final String PUBLISH = """
            local epoch = redis.call('HGET', KEYS[1], 'e')
            if not epoch then
              epoch = ARGV[4]
              redis.call('HSET', KEYS[1], 'e', epoch, 'o', 0)
            end
            local offset = redis.call('HINCRBY', KEYS[1], 'o', 1)
            local frame = ARGV[1]
            local o = string.format('%d', offset)
            local stamped = string.sub(frame, 1, -2) .. ',"offset":' .. o .. ',"epoch":"' .. epoch .. '"}'
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], o .. '-0', 'f', stamped)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            redis.call('PUBLISH', ARGV[5], ARGV[6] .. '\\n' .. stamped)
            return offset
            """;

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final String sha;
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    private final LongAdder received = new LongAdder();
    private final LongAdder receivedBytes = new LongAdder();
    private volatile Outlet outlet;

    NaiveSharedChannel(String uri) {
        resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        client = RedisClient.create(resources, uri);
        commands = client.connect();
        redis = commands.async();
        sha = commands.sync().scriptLoad(PUBLISH);
        subscriber = client.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received.increment();
                receivedBytes.add(message.length());
                int nl = message.indexOf('\n');
                String user = message.substring(0, nl);
                if (local.contains(user)) {
                    outlet.sendToUser(user, message.substring(nl + 1));
                }
            }
        });
        subscriber.sync().subscribe(CHANNEL);
    }

    @Override
    public void bind(Outlet value) {
        outlet = value;
    }

    @Override
    public int publish(String userId, String frame) {
        redis.evalsha(sha, ScriptOutputType.INTEGER, new String[] {"naive:{" + userId + "}:m", "naive:{" + userId + "}:s"},
                frame, "100", "120000", "e1", CHANNEL, userId);
        return 0;
    }

    @Override
    public ResumeResult resume(String userId, String connectionId, String epoch, long offset,
                               Function<ResumeResult, String> resultFrame) {
        ResumeResult result = new ResumeResult(false, 0, "", 0); // not measured by W4
        outlet.sendToConnection(userId, connectionId, resultFrame.apply(result));
        return result;
    }

    @Override
    public void connectionOpened(String userId, String connectionId) {
        local.add(userId);
    }

    @Override
    public void connectionClosed(String userId, String connectionId) {
        local.remove(userId);
    }

    /** @return channel messages this node received (its Redis traffic), and their characters */
    long received() {
        return received.sum();
    }

    long receivedBytes() {
        return receivedBytes.sum();
    }

    @Override
    public BrokerStatistics statistics() {
        return BrokerStatistics.EMPTY;
    }

    @Override
    public void close() {
        subscriber.close();
        commands.close();
        client.shutdown();
        resources.shutdown();
    }
}
