package io.wsrouter.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.wsrouter.core.Broker;
import io.wsrouter.core.BrokerStatistics;
import io.wsrouter.core.ResumeResult;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} on Redis: several routers (nodes) that share one Redis behave as one router for a
 * user's stream. An event published on any node reaches every connection of the user on every node,
 * with the same offsets and in the same order, and a client can resume on any node.
 *
 * <p><b>How.</b> Each publication is one Lua script in Redis that increments the user's offset, appends
 * the stamped event to the user's stream ({@code XADD}, trimmed to about {@code historySize} entries,
 * the keys expiring {@code historyTtl} after the last write or touch) and publishes it on the user's
 * channel (sharded pub/sub, {@code SPUBLISH}, when the server has it, else {@code PUBLISH}). The
 * epoch lives beside the offset; a stream whose keys are gone (expired, a flushed or restarted Redis)
 * starts again under a new epoch. A node subscribes to a user's channel while the user has a
 * connection on it (batched under churn) and delivers each user's events in offset order; an offset
 * missing from the channel (lost while resubscribing or disconnected) is read from the stream before
 * later events are delivered ({@link BrokerStatistics#gapsFilled()}); what history no longer holds is
 * skipped, so clients see the jump in offsets and their {@code resume} answers {@code recovered:false}.
 *
 * <p><b>Outages.</b> {@link #publish} never throws and never waits for Redis: the script is sent
 * asynchronously and the method returns the number of this node's connections of the user. While
 * Redis is unreachable commands fail at once (Lettuce's {@code REJECT_COMMANDS}) and every command
 * has a deadline of {@code commandTimeout}; {@link #resume} waits at most that long. An event that
 * could not be sequenced reaches nobody, <em>not even this node's connections</em>: delivering it
 * locally without an offset would give this node's tabs a different timeline from the other nodes'
 * and from history, which no resume could repair. Instead the loss is made visible: when Redis returns
 * the node moves each such user's offset on by the number of lost events, so every client sees a
 * gap, resumes and learns {@code recovered:false}. Outages show in {@link BrokerStatistics#outageMillis()}
 * and in the log (one line when an outage starts, one when it ends, and at most one summary of failed
 * publications per 10 seconds). The client reconnects by itself (backoff 10 ms doubling to 1 s) and
 * the node resubscribes its users and catches up on what they missed.
 *
 * <p><b>Presence.</b> Each node writes its users and connection count to Redis and refreshes them every
 * {@code heartbeatInterval}; they expire after three intervals, so a node that dies without
 * {@link #close()} drops out of {@link #presence()} and {@link #isConnectedAnywhere(String)} within
 * three heartbeats.
 *
 * <p><b>Settings.</b> Host, port, password, database and TLS come from the Redis URI
 * ({@code redis://:password@host:6379/0}, {@code rediss://} for TLS; see Lettuce's {@link RedisURI}).
 * Everything else from the {@link Builder}. {@link Builder#build()} connects and fails with an
 * {@link IllegalStateException} when Redis is unreachable then.
 *
 * <p><b>Redis Cluster.</b> {@link #clusterBuilder(String...)} builds the same broker on a cluster: each
 * user's keys and channel share the hash tag {@code {userId}}, so a user's scripts and sharded channel
 * live on the master of one slot; presence spreads over the masters. An outage is per master.
 *
 * <p><b>Thread safety:</b> every method may be called from any thread; each user's local state has its
 * own lock, and no lock is held while waiting for Redis.
 *
 * <pre>{@code
 * RedisBroker broker = RedisBroker.builder("redis://127.0.0.1:6379")
 *         .historySize(100)
 *         .historyTtl(Duration.ofMinutes(2))
 *         .build();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(pool)
 *         .broker(broker)
 *         .build();
 * }</pre>
 */
public final class RedisBroker implements Broker {

    /** Default prefix of every key and channel: {@code "wsrouter:"}. */
    public static final String DEFAULT_KEY_PREFIX = "wsrouter:";
    /** Default deadline of one Redis command: 1 second. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Default interval between presence heartbeats: 5 seconds (a dead node is gone within 15). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Default bound of commands queued on one connection: 100,000. */
    public static final int DEFAULT_MAX_QUEUED_COMMANDS = 100_000;

    /** How often a cluster broker re-reads the cluster's topology besides the adaptive triggers. */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int historySize;
    private final long ttlMillis;
    private final String historySizeArg;
    private final String ttlArg;
    private final String nodeId;
    private final Duration commandTimeout;
    private final Keys keys;
    private final boolean sharded;
    private final boolean cluster;

    private final ClientResources resources;
    private final AbstractRedisClient client;
    /** The command connection: one to a standalone Redis, or a cluster connection routing each key to its master. */
    private final StatefulConnection<String, String> commands;
    /** Its commands: the type both kinds of connection share, so one code path serves both. */
    private final RedisClusterAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final ScheduledExecutorService upkeep;
    private final Subscriptions subscriptions;
    private final Presence presence;

    private final ConcurrentHashMap<String, UserStream> users = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    /** Events that could not be sequenced, per user, to mark as lost when Redis returns. */
    private final ConcurrentHashMap<String, Lost> lost = new ConcurrentHashMap<>();

    private final LongAdder published = new LongAdder();
    private final LongAdder unrouted = new LongAdder();
    private final LongAdder notSequenced = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder notRecovered = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder gapsFilled = new LongAdder();
    private final LongAdder gapsNotFilled = new LongAdder();

    /** Our connections that are down now; the outage lasts while it is not empty. */
    private final Map<RedisChannelHandler<?, ?>, Boolean> down = new ConcurrentHashMap<>();
    private final Object outageLock = new Object();
    private long outageStartedNanos = -1;
    private long outageNanosTotal;
    private final AtomicLong nextFailureLog = new AtomicLong(System.nanoTime());
    private final LongAdder failuresSinceLog = new LongAdder();
    private final AtomicLong nextGapLog = new AtomicLong(System.nanoTime());
    /** While true (after a reconnect, until the scripts are loaded again) scripts are sent with EVAL, not EVALSHA. */
    private volatile boolean scriptsUncertain;
    /** Told when a server answered NOSCRIPT: EVAL until the scripts are loaded again. */
    private final Runnable noScript = this::scriptMissing;

    private volatile Outlet outlet;
    private volatile boolean closed;

    private RedisBroker(Builder b) {
        this.historySize = b.historySize;
        this.ttlMillis = b.historyTtl.toMillis();
        this.historySizeArg = Integer.toString(historySize);
        this.ttlArg = Long.toString(ttlMillis);
        this.nodeId = b.nodeId != null ? b.nodeId : UUID.randomUUID().toString().substring(0, 13);
        this.commandTimeout = b.commandTimeout;
        this.keys = new Keys(b.keyPrefix);
        this.cluster = b.cluster;
        List<RedisURI> uris = new ArrayList<>();
        for (String u : b.uris) {
            RedisURI uri = RedisURI.create(u);
            uri.setTimeout(b.commandTimeout);
            if (b.cluster) {
                // Named at each connection's handshake, on every node and after every reconnect; a CLIENT
                // SETNAME sent through the cluster connection would go to every known node and fail on one down.
                uri.setClientName("wsrouter:" + nodeId);
            }
            uris.add(uri);
        }
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        if (cluster) {
            ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                    // A failover, a resharding or a restarted master is picked up when a command meets it
                    // (MOVED, ASK, reconnects, an uncovered slot) and at the latest after TOPOLOGY_REFRESH.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .build())
                    // A node the cluster marks failed (a dead replica, a master replaced by failover) is left
                    // out of the topology, so its connection is closed instead of reconnecting forever.
                    .nodeFilter(node -> !node.is(RedisClusterNode.NodeFlag.FAIL)
                            && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                            && !node.is(RedisClusterNode.NodeFlag.NOADDR));
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, uris);
            clusterClient.setOptions(clientOptions(options, b).build());
            this.client = clusterClient;
        } else {
            RedisClient standalone = RedisClient.create(resources, uris.get(0));
            standalone.setOptions(clientOptions(ClientOptions.builder(), b).build());
            this.client = standalone;
        }
        this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wsrouter-redis-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        try {
            if (client instanceof RedisClusterClient clusterClient) {
                StatefulRedisClusterConnection<String, String> connection = clusterClient.connect();
                this.commands = connection;
                this.redis = connection.async();
                this.subscriber = clusterClient.connectPubSub();
            } else {
                StatefulRedisConnection<String, String> connection = ((RedisClient) client).connect();
                this.commands = connection;
                this.redis = connection.async();
                this.subscriber = ((RedisClient) client).connectPubSub();
            }
            if (!cluster) {
                // Named so an operator (and the fault tests) can tell a node's connections apart in CLIENT
                // LIST; on a cluster the URIs name them (above).
                await(redis.clientSetname("wsrouter:" + nodeId + ":cmd"));
                await(subscriber.async().clientSetname("wsrouter:" + nodeId + ":sub"));
            }
            this.sharded = b.shardedPubSub != null ? b.shardedPubSub : serverHasShardedPubSub(await(redis.info("server")));
            await(loadScripts());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            upkeep.shutdownNow();
            client.shutdown();
            resources.shutdown();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot connect to " + (cluster ? "Redis Cluster" : "Redis") + " at "
                    + hosts(uris) + ": " + cause.getMessage(), cause);
        }
        this.presence = new Presence(keys, nodeId, redis, b.heartbeatInterval, commandTimeout);
        this.subscriptions = new Subscriptions(keys, subscriber.async(), sharded, cluster, upkeep,
                users::containsKey, presence::added, presence::removed, this::later);
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onMessage(channel, message);
            }

            @Override
            public void smessage(String channel, String message) {
                onMessage(channel, message);
            }

            @Override
            public void subscribed(String channel, long count) {
                onSubscribed(channel);
            }

            @Override
            public void ssubscribed(String channel, long count) {
                onSubscribed(channel);
            }

            @Override
            public void sunsubscribed(String channel, long count) {
                // Ours (the user left), or on a cluster the server's: a shard drops the sharded channels of a
                // slot that moved to another shard (resharding, failover); those of users still here are subscribed again.
                String userId = cluster ? keys.userOf(channel) : null;
                if (userId != null && !closed) {
                    subscriptions.dropped(userId);
                }
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                connectionDown(connection);
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                connectionUp(connection);
            }
        });
        long heartbeat = b.heartbeatInterval.toMillis();
        upkeep.scheduleWithFixedDelay(this::heartbeat, 0, heartbeat, TimeUnit.MILLISECONDS);
        long refresh = Math.max(200, ttlMillis / 3);
        upkeep.scheduleWithFixedDelay(this::touchAll, refresh, refresh, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a broker on the Redis at the given URI.
     *
     * @param redisUri the Redis URI, e.g. {@code redis://127.0.0.1:6379}, {@code rediss://:secret@host:6380/2}
     * @return a builder with the defaults
     */
    public static Builder builder(String redisUri) {
        Objects.requireNonNull(redisUri, "redisUri");
        return new Builder(List.of(redisUri), false);
    }

    /**
     * Starts a broker on a Redis Cluster. The seeds are where the broker first reads the cluster's
     * topology (one reachable seed is enough; list several so a node that is down at start does not
     * matter); from then on it connects to every master itself, sends each user's scripts to the master
     * of the user's slot (a user's keys and channel share the hash tag {@code {user}}), subscribes each
     * user's sharded channel on that master, and follows failovers and resharding (topology refreshed
     * on MOVED/ASK redirections, reconnects and uncovered slots, and every 30 seconds). Every setting of
     * the {@link Builder} applies as for {@link #builder(String)}; the outage behaviour is the same, per
     * master: a user whose master is unreachable has the outage, the others do not.
     *
     * <pre>{@code
     * RedisBroker broker = RedisBroker.clusterBuilder("redis://10.0.0.1:7000", "redis://10.0.0.2:7000")
     *         .historySize(100)
     *         .build();
     * }</pre>
     *
     * @param seedUris URIs of some of the cluster's nodes, e.g. {@code redis://10.0.0.1:7000} or
     *                 {@code rediss://:secret@10.0.0.1:7000}; all with the same password and TLS setting
     *                 (a cluster has only database 0)
     * @return a builder with the defaults
     * @throws IllegalArgumentException when there is no seed, a seed is malformed, or a seed names a
     *                                  database other than 0
     */
    public static Builder clusterBuilder(String... seedUris) {
        Objects.requireNonNull(seedUris, "seedUris");
        if (seedUris.length == 0) {
            throw new IllegalArgumentException("a Redis Cluster needs at least one seed URI");
        }
        List<String> seeds = Arrays.asList(seedUris.clone());
        for (String seed : seeds) {
            Objects.requireNonNull(seed, "seedUris contains null");
            if (RedisURI.create(seed).getDatabase() != 0) {
                throw new IllegalArgumentException("a Redis Cluster has database 0 only, but a seed URI names database "
                        + RedisURI.create(seed).getDatabase());
            }
        }
        return new Builder(List.copyOf(seeds), true);
    }

    @Override
    public void bind(Outlet value) {
        Objects.requireNonNull(value, "outlet");
        synchronized (this) {
            if (outlet != null) {
                throw new IllegalStateException("this broker is bound to a router already: a broker serves one router");
            }
            outlet = value;
        }
    }

    /**
     * Sends the event to Redis to be sequenced, kept and fanned out, and returns at once; this node's
     * connections receive it from the user's channel like every other node's. An event for a user
     * no node had a connection for within {@code historyTtl} reaches nobody and is kept nowhere
     * ({@link BrokerStatistics#unrouted()}).
     *
     * @return the number of this node's connections of the user (the event reaches them shortly)
     */
    @Override
    public int publish(String userId, String frame) {
        Objects.requireNonNull(userId, "userId");
        String object = ObjectText.of(Objects.requireNonNull(frame, "frame")); // as Broker.stamp would take it
        if (outlet == null || closed) {
            return 0;
        }
        UserStream local = users.get(userId);
        Lost missed = lost.remove(userId);
        if (missed != null) {
            skip(userId, missed); // first the gap of the events lost before, on the same connection: it comes before this one
        }
        CompletableFuture<Long> sequenced;
        try {
            sequenced = Scripts.PUBLISH.run(redis, !scriptsUncertain, noScript, ScriptOutputType.INTEGER,
                    new String[] {keys.meta(userId), keys.stream(userId)},
                    object, historySizeArg, ttlArg, newEpoch(), local != null ? "1" : "0",
                    keys.channel(userId), sharded ? "1" : "0");
        } catch (RuntimeException e) {
            sequenced = CompletableFuture.failedFuture(e);
        }
        sequenced.whenComplete((offset, error) -> {
            if (error != null) {
                notSequenced(userId, error);
            } else if (offset == null) {
                unrouted.increment();
            } else {
                published.increment();
            }
        });
        if (local == null) {
            return 0;
        }
        synchronized (local) {
            return local.connections.size();
        }
    }

    @Override
    public ResumeResult resume(String userId, String connectionId, String epoch, long offset,
                               Function<ResumeResult, String> resultFrame) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(resultFrame, "resultFrame");
        Outlet out = outlet;
        UserStream s = users.get(userId);
        if (out == null || closed || s == null) {
            notRecovered.increment();
            ResumeResult result = new ResumeResult(false, 0, "", 0);
            if (out != null) {
                out.sendToConnection(userId, connectionId, resultFrame.apply(result));
            }
            return result;
        }
        s.beginResume(connectionId);
        List<Object> answer;
        try {
            answer = Scripts.RESUME.<List<Object>>run(redis, !scriptsUncertain, noScript, ScriptOutputType.MULTI,
                            new String[] {keys.meta(userId), keys.stream(userId)},
                            epoch, Long.toString(offset), Integer.toString(historySize), Long.toString(ttlMillis), newEpoch())
                    .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Redis unreachable: the client learns it could not recover and tries again later.
            String known = s.epoch();
            ResumeResult result = new ResumeResult(false, 0, known == null ? "" : known, known == null ? 0 : s.delivered());
            s.endResume(connectionId, List.of(), resultFrame.apply(result), null, 0);
            notRecovered.increment();
            return result;
        }
        String streamEpoch = (String) answer.get(0);
        long streamOffset = (Long) answer.get(1);
        List<String> frames = new ArrayList<>(answer.size() - 2);
        for (int i = 2; i < answer.size(); i++) {
            frames.add((String) answer.get(i));
        }
        boolean ok = epoch.equals(streamEpoch) && offset >= 0 && offset <= streamOffset
                && frames.size() == streamOffset - offset;
        List<String> replay = ok ? frames : List.of();
        ResumeResult result = new ResumeResult(ok, replay.size(), streamEpoch, streamOffset);
        s.endResume(connectionId, replay, resultFrame.apply(result), streamEpoch, streamOffset);
        if (ok) {
            recovered.increment();
            replayed.add(replay.size());
        } else {
            notRecovered.increment();
        }
        return result;
    }

    @Override
    public void connectionOpened(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Outlet out = outlet;
        if (out == null || closed) {
            return;
        }
        boolean[] first = new boolean[1];
        UserStream s = users.compute(userId, (u, existing) -> {
            UserStream stream = existing;
            if (stream == null || stream.isClosed()) {
                stream = new UserStream(u, out, host);
                first[0] = true;
            }
            synchronized (stream) {
                if (stream.connections.add(connectionId)) {
                    connections.incrementAndGet();
                }
            }
            return stream;
        });
        if (first[0]) {
            touch(s); // where live delivery starts: events sequenced after this reach the connection
            subscriptions.changed(userId);
        }
    }

    @Override
    public void connectionClosed(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        boolean[] last = new boolean[1];
        users.computeIfPresent(userId, (u, s) -> {
            synchronized (s) {
                if (s.connections.remove(connectionId)) {
                    connections.decrementAndGet();
                }
                if (s.connections.isEmpty()) {
                    s.close();
                    last[0] = true;
                    return null;
                }
            }
            return s;
        });
        if (last[0] && !closed) {
            subscriptions.changed(userId);
            touch(null, userId); // history is kept historyTtl from now, for the tab that is reconnecting
        }
    }

    /**
     * Figures of this node. {@code historyEvents}, {@code historyBytes} and {@code eventsEvicted} are 0:
     * history lives in Redis (bounded there by {@code historySize} and {@code historyTtl}).
     * {@code streams} is the number of users with a connection on this node, {@code published} the
     * events this node sequenced, {@code outageMillis} the time this node could not reach Redis
     * (including an outage going on now).
     */
    @Override
    public BrokerStatistics statistics() {
        return new BrokerStatistics(published.sum(), unrouted.sum(), recovered.sum(), notRecovered.sum(),
                replayed.sum(), 0, 0, 0, users.size(), gapsFilled.sum(), outageMillis());
    }

    /** {@return events this node could not get sequenced (Redis unreachable or too slow); they reached nobody} */
    public long eventsNotSequenced() {
        return notSequenced.sum();
    }

    /** {@return gaps this node found in a user's offsets that history could no longer fill (skipped; clients resume)} */
    public long gapsNotFilled() {
        return gapsNotFilled.sum();
    }

    /** {@return this node's id in Redis (the builder's, or a random one)} */
    public String nodeId() {
        return nodeId;
    }

    /**
     * {@return whether this node's Redis connections are up now: none of them is down and not yet
     * back (on a cluster: every node connection Lettuce keeps, replicas included)}
     */
    public boolean isRedisReachable() {
        return down.isEmpty() && commands.isOpen() && subscriber.isOpen();
    }

    /**
     * Reads the cluster's presence from Redis: one command per live node, plus the user ids of every
     * node (O(users in the cluster): meant for dashboards and health checks, not per event).
     *
     * @return the snapshot
     * @throws IllegalStateException when Redis cannot be read within the command timeout
     */
    public ClusterPresence presence() {
        try {
            return presence.read();
        } catch (Exception e) {
            throw unreachable("read the cluster's presence", e);
        }
    }

    /**
     * Tells whether the user has a connection on any live node.
     *
     * @param userId the user
     * @return whether the user has a connection on some live node (this one is answered locally)
     * @throws IllegalStateException when Redis cannot be read within the command timeout
     */
    public boolean isConnectedAnywhere(String userId) {
        Objects.requireNonNull(userId, "userId");
        if (users.containsKey(userId)) {
            return true;
        }
        try {
            return presence.isConnectedAnywhere(userId);
        } catch (Exception e) {
            throw unreachable("read the presence of a user", e);
        }
    }

    /**
     * Unsubscribes, removes this node's presence, keeps its users' history for {@code historyTtl}, and
     * closes the connections; idempotent. Publications after it reach nobody.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        upkeep.shutdownNow();
        try {
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (String user : users.keySet()) {
                pending.add(touch(null, user));
            }
            presence.leave();
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("Redis broker {}: could not tidy up in Redis on close: {}", nodeId, e.toString());
        }
        users.values().forEach(UserStream::close);
        users.clear();
        subscriber.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** @return whether this node knows where the user's stream stands (every later event reaches the user's connections here) */
    boolean tracks(String userId) {
        UserStream s = users.get(userId);
        return s != null && s.epoch() != null;
    }

    /**
     * Stops this node as a crash would: no unsubscribe, no presence removal, no tidying in Redis
     * (for the tests of a node that disappears).
     */
    void halt() {
        closed = true;
        upkeep.shutdownNow();
        users.values().forEach(UserStream::close);
        subscriber.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    // ---- the channel ----------------------------------------------------------------------------

    private void onMessage(String channel, String message) {
        String userId = keys.userOf(channel);
        UserStream s = userId == null ? null : users.get(userId);
        if (s == null) {
            return; // the user left this node; the unsubscribe is on its way
        }
        int first = message.indexOf(':');
        int second = first < 0 ? -1 : message.indexOf(':', first + 1);
        if (second < 0) {
            LOG.warn("Redis broker {}: ignored a malformed message on {}", nodeId, channel);
            return;
        }
        s.received(message.substring(0, first), Long.parseLong(message, first + 1, second, 10), message.substring(second + 1));
    }

    private void onSubscribed(String channel) {
        String userId = keys.userOf(channel);
        UserStream s = userId == null ? null : users.get(userId);
        if (s != null) {
            touch(s); // subscribed (again): catch up on what was published before the channel was listened to
        }
    }

    private final UserStream.Host host = new UserStream.Host() {
        @Override
        public void fill(UserStream stream, long from, long to) {
            CompletableFuture<List<Object>> read;
            try {
                read = Scripts.FETCH.run(redis, !scriptsUncertain, noScript, ScriptOutputType.MULTI,
                        new String[] {keys.meta(stream.userId), keys.stream(stream.userId)},
                        Long.toString(from), Long.toString(to));
            } catch (RuntimeException e) {
                read = CompletableFuture.failedFuture(e);
            }
            read.whenComplete((answer, error) -> {
                if (error != null) {
                    stream.fillFailed();
                    return;
                }
                if (answer.isEmpty()) {
                    stream.filled(null, 0, from, to, List.of());
                    return;
                }
                List<String> frames = new ArrayList<>(answer.size() - 2);
                for (int i = 2; i < answer.size(); i++) {
                    frames.add((String) answer.get(i));
                }
                stream.filled((String) answer.get(0), (Long) answer.get(1), from, to, frames);
            });
        }

        @Override
        public void gapFilled() {
            gapsFilled.increment();
        }

        @Override
        public void gapNotFilled(String userId, long from, long to) {
            gapsNotFilled.increment();
            if (rateLimit(nextGapLog)) {
                LOG.warn("Redis broker {}: events {}..{} of a user's stream were no longer in history; "
                        + "skipped (clients see the gap and resume with recovered:false); {} such gaps so far",
                        nodeId, from, to, gapsNotFilled.sum());
            }
        }
    };

    /** Touches a local user's stream and tells it where the stream stands. */
    private void touch(UserStream s) {
        touch(s, s.userId);
    }

    private CompletableFuture<List<Object>> touch(UserStream s, String userId) {
        CompletableFuture<List<Object>> answer;
        try {
            answer = Scripts.TOUCH.run(redis, !scriptsUncertain, noScript, ScriptOutputType.MULTI,
                    new String[] {keys.meta(userId), keys.stream(userId)}, Long.toString(ttlMillis), newEpoch(),
                    keys.channel(userId), sharded ? "1" : "0");
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (s != null) {
            answer.whenComplete((a, error) -> {
                if (error == null) {
                    s.position((String) a.get(0), (Long) a.get(1));
                } else if (s.epoch() == null && !s.isClosed()) {
                    later(() -> touch(s)); // without a first position the user's events wait: ask again
                }
            });
        }
        return answer;
    }

    /** Runs the task on the upkeep thread in a second (unless closing). */
    private void later(Runnable task) {
        if (!closed) {
            try {
                upkeep.schedule(task, 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException closing) {
                // closed meanwhile
            }
        }
    }

    // ---- upkeep: heartbeats, TTLs, outages --------------------------------------------------------

    private void heartbeat() {
        try {
            settleOutage();
            presence.heartbeat(users::keySet, users.size(), connections.get());
            flushLost();
        } catch (Exception e) {
            LOG.debug("Redis broker {}: heartbeat failed: {}", nodeId, e.toString());
        }
    }

    /** Keeps the streams of this node's users alive while they are connected; doubles as a catch-up. */
    private void touchAll() {
        try {
            for (UserStream s : users.values()) {
                touch(s);
            }
        } catch (RuntimeException e) {
            LOG.debug("Redis broker {}: refreshing streams failed: {}", nodeId, e.toString());
        }
    }

    /** Marks the events that could not be sequenced as lost, so clients see a gap and resume. */
    private void flushLost() {
        for (String user : new ArrayList<>(lost.keySet())) {
            Lost count = lost.remove(user);
            if (count != null) {
                skip(user, count);
            }
        }
    }

    private void skip(String user, Lost count) {
        CompletableFuture<Long> done;
        try {
            done = Scripts.SKIP.run(redis, !scriptsUncertain, noScript, ScriptOutputType.INTEGER,
                    new String[] {keys.meta(user), keys.stream(user)}, Long.toString(count.events()), count.epoch());
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((offset, error) -> {
            if (error != null) {
                lost.merge(user, count, Lost::plus);
            } else {
                UserStream s = users.get(user);
                if (s != null) {
                    touch(s); // deliver around the gap now rather than at the user's next event
                }
            }
        });
    }

    private void notSequenced(String userId, Throwable error) {
        notSequenced.increment();
        UserStream local = users.get(userId);
        String epoch = local == null ? null : local.epoch();
        lost.merge(userId, new Lost(epoch == null ? "" : epoch, 1), Lost::plus);
        failuresSinceLog.increment();
        if (rateLimit(nextFailureLog)) {
            LOG.warn("Redis broker {}: {} events could not be sequenced (they reached nobody; clients will see the gap "
                    + "when Redis is back): {}", nodeId, failuresSinceLog.sumThenReset(), error.toString());
        }
    }

    /**
     * One of our connections went down: the two of a standalone broker, or on a cluster the connection
     * to one master (of the commands or of the subscriber). A connection that was closed on purpose
     * (ours on close, Lettuce's topology probes and the connections to nodes that left the cluster)
     * is no outage.
     */
    private void connectionDown(RedisChannelHandler<?, ?> connection) {
        if (closed || connection.isClosed()) {
            return;
        }
        if (!(connection instanceof StatefulRedisPubSubConnection)) {
            scriptsUncertain = true; // the server may come back without our scripts (restarted, failed over)
        }
        down.put(connection, Boolean.TRUE);
        synchronized (outageLock) {
            if (outageStartedNanos < 0) {
                outageStartedNanos = System.nanoTime();
                LOG.warn("Redis broker {}: lost its connection to Redis{}; events are not delivered until it is back",
                        nodeId, cluster ? " (a cluster node)" : "");
            }
        }
    }

    private void connectionUp(RedisChannelHandler<?, ?> connection) {
        if (closed || down.remove(connection) == null) {
            return;
        }
        if (connection instanceof StatefulRedisPubSubConnection) {
            subscriptions.resubscribeAll();
        } else {
            upkeep.execute(this::reloadScripts);
        }
        settleOutage();
    }

    /** Ends the outage when none of our connections is down (a down one that was closed since does not count). */
    private void settleOutage() {
        down.keySet().removeIf(RedisChannelHandler::isClosed);
        synchronized (outageLock) {
            if (down.isEmpty() && outageStartedNanos >= 0) {
                if (scriptsUncertain && !closed) {
                    // Ended by a closed connection, not a reconnect: nobody else asks for the scripts again.
                    try {
                        upkeep.execute(this::reloadScripts);
                    } catch (RejectedExecutionException closing) {
                        // closed meanwhile
                    }
                }
                long nanos = System.nanoTime() - outageStartedNanos;
                outageNanosTotal += nanos;
                outageStartedNanos = -1;
                LOG.info("Redis broker {}: reconnected to Redis after {} ms; {} events could not be sequenced so far",
                        nodeId, TimeUnit.NANOSECONDS.toMillis(nanos), notSequenced.sum());
            }
        }
    }

    /** A script was missing on a server without a reconnect (a master new to the cluster, a SCRIPT FLUSH). */
    private void scriptMissing() {
        if (!scriptsUncertain && !closed) {
            scriptsUncertain = true;
            try {
                upkeep.execute(this::reloadScripts);
            } catch (RejectedExecutionException closing) {
                // closed meanwhile
            }
        }
    }

    /**
     * Loads every script: on the server, or on a cluster on every master (the nodes that run scripts; a
     * replica or a failed node is not asked, so one of them down does not fail the load).
     */
    private CompletableFuture<Void> loadScripts() {
        List<CompletableFuture<?>> loads = new ArrayList<>();
        for (Scripts.Script script : Scripts.ALL) {
            loads.add(redis instanceof RedisAdvancedClusterAsyncCommands<String, String> clusterCommands
                    ? clusterCommands.upstream().commands().scriptLoad(script.text()).toCompletableFuture()
                    : redis.scriptLoad(script.text()).toCompletableFuture());
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
    }

    /** Loads the scripts again (on a cluster: on every master); EVALSHA is used again once they are. */
    private void reloadScripts() {
        try {
            loadScripts().get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            scriptsUncertain = down.keySet().stream().anyMatch(c -> !(c instanceof StatefulRedisPubSubConnection));
            flushLost();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("Redis broker {}: could not load scripts: {}", nodeId, e.toString());
            if (down.isEmpty()) {
                later(this::reloadScripts); // no reconnect is coming to ask again
            }
        }
    }

    private long outageMillis() {
        synchronized (outageLock) {
            long nanos = outageNanosTotal + (outageStartedNanos >= 0 ? System.nanoTime() - outageStartedNanos : 0);
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }
    }

    private static boolean rateLimit(AtomicLong next) {
        long now = System.nanoTime();
        long at = next.get();
        return now - at >= 0 && next.compareAndSet(at, now + LOG_INTERVAL_NANOS);
    }

    private IllegalStateException unreachable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("Redis broker " + nodeId + " could not " + what + ": " + e, e);
    }

    /** Events of one user that could not be sequenced, and the epoch they were meant for ("" when unknown here). */
    private record Lost(String epoch, long events) {
        Lost plus(Lost other) {
            return new Lost(epoch.isEmpty() ? other.epoch : epoch, events + other.events);
        }
    }

    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    /** The options both kinds of client share: what makes publish never wait and never publish twice. */
    private static <O extends ClientOptions.Builder> O clientOptions(O options, Builder b) {
        options.autoReconnect(true)
                // Fail at once while disconnected instead of queueing: publish never waits on an outage.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // At most once: a script whose reply was lost is not sent again (no duplicate event).
                .replayFilter(command -> true)
                .requestQueueSize(b.maxQueuedCommands)
                .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout));
        return options;
    }

    /** Waits for a command of the start (the command timeout bounds it). */
    private <T> T await(CompletionStage<T> command) throws Exception {
        return command.toCompletableFuture().get(commandTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    /** {@return the hosts and ports of the URIs, without passwords, for messages} */
    private static String hosts(List<RedisURI> uris) {
        List<String> hosts = new ArrayList<>();
        for (RedisURI uri : uris) {
            hosts.add(uri.getHost() + ":" + uri.getPort());
        }
        return String.join(", ", hosts);
    }

    private static boolean serverHasShardedPubSub(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                String version = line.substring("redis_version:".length()).trim();
                int dot = version.indexOf('.');
                return Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 7;
            }
        }
        return false;
    }

    /**
     * Builds a {@link RedisBroker}. Not thread-safe; the broker is.
     *
     * <pre>{@code
     * RedisBroker broker = RedisBroker.builder("rediss://:secret@redis.internal:6380")
     *         .keyPrefix("chat:")
     *         .nodeId("web-1")
     *         .commandTimeout(Duration.ofMillis(500))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final List<String> uris;
        private final boolean cluster;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private Duration historyTtl = DEFAULT_HISTORY_TTL;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private String nodeId;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private int maxQueuedCommands = DEFAULT_MAX_QUEUED_COMMANDS;
        private Boolean shardedPubSub;

        private Builder(List<String> uris, boolean cluster) {
            uris.forEach(RedisURI::create); // fails early, with Lettuce's message, on a malformed URI
            this.uris = uris;
            this.cluster = cluster;
        }

        /**
         * Sets how many events of each user's stream are kept for resume.
         *
         * @param value events kept per user (Redis trims approximately, so a few more may be kept; a
         *              resume never replays more than this many); default 100
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder historySize(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("historySize must be > 0 but was " + value);
            }
            this.historySize = value;
            return this;
        }

        /**
         * Sets how long a user's history is kept once nobody is connected.
         *
         * @param value how long a user's history is kept after the last event or the last connection
         *              left (while some node has a connection of the user, it is kept); default 2 minutes
         * @return this builder
         * @throws IllegalArgumentException when shorter than one millisecond
         */
        public Builder historyTtl(Duration value) {
            Objects.requireNonNull(value, "historyTtl");
            if (value.toMillis() <= 0) {
                throw new IllegalArgumentException("historyTtl must be >= 1 ms but was " + value);
            }
            this.historyTtl = value;
            return this;
        }

        /**
         * Sets the prefix of every key and channel.
         *
         * @param value the prefix of every key and channel, so several applications share one Redis;
         *              default {@code "wsrouter:"}
         * @return this builder
         * @throws IllegalArgumentException when it contains '{' or '}' (they would break the hash tags)
         */
        public Builder keyPrefix(String value) {
            Objects.requireNonNull(value, "keyPrefix");
            if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
                throw new IllegalArgumentException("keyPrefix must not contain '{' or '}' but was " + value);
            }
            this.keyPrefix = value;
            return this;
        }

        /**
         * Sets this node's id in the presence keys.
         *
         * @param value this node's id in the presence keys (unique per node); default a random one
         * @return this builder
         * @throws IllegalArgumentException when empty
         */
        public Builder nodeId(String value) {
            Objects.requireNonNull(value, "nodeId");
            if (value.isEmpty()) {
                throw new IllegalArgumentException("nodeId must not be empty");
            }
            this.nodeId = value;
            return this;
        }

        /**
         * Sets the deadline of every Redis command.
         *
         * @param value the deadline of every Redis command (a publication that misses it counts as not
         *              sequenced; a resume waits at most this long); default 1 second
         * @return this builder
         * @throws IllegalArgumentException when shorter than one millisecond
         */
        public Builder commandTimeout(Duration value) {
            Objects.requireNonNull(value, "commandTimeout");
            if (value.toMillis() <= 0) {
                throw new IllegalArgumentException("commandTimeout must be >= 1 ms but was " + value);
            }
            this.commandTimeout = value;
            return this;
        }

        /**
         * Sets how often the node refreshes its presence.
         *
         * @param value how often the node refreshes its presence; its entries expire after three;
         *              default 5 seconds
         * @return this builder
         * @throws IllegalArgumentException when shorter than one millisecond
         */
        public Builder heartbeatInterval(Duration value) {
            Objects.requireNonNull(value, "heartbeatInterval");
            if (value.toMillis() <= 0) {
                throw new IllegalArgumentException("heartbeatInterval must be >= 1 ms but was " + value);
            }
            this.heartbeatInterval = value;
            return this;
        }

        /**
         * Sets how many commands may be in flight on one connection.
         *
         * @param value commands in flight on one connection at most; beyond it a publication fails at once
         *              (counted as not sequenced); default 100,000
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxQueuedCommands(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxQueuedCommands must be > 0 but was " + value);
            }
            this.maxQueuedCommands = value;
            return this;
        }

        /**
         * Sets whether to use sharded pub/sub.
         *
         * @param value whether to use sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, Redis 7+);
         *              default: when the server is Redis 7 or later
         * @return this builder
         */
        public Builder shardedPubSub(boolean value) {
            this.shardedPubSub = value;
            return this;
        }

        /**
         * Connects to Redis and starts the heartbeat.
         *
         * @return the broker; bind it to a router (the router's builder does)
         * @throws IllegalStateException when Redis cannot be reached now
         */
        public RedisBroker build() {
            return new RedisBroker(this);
        }
    }
}
