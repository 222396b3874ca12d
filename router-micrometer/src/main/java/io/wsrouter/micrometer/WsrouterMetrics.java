package io.wsrouter.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.wsrouter.core.Broker;
import io.wsrouter.core.BrokerStatistics;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.RoutingObserver;
import io.wsrouter.core.SubDispatcher;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for one wsrouter router: every routed message counted by type and outcome,
 * routing time of every message (none sampled away) as a timer with p50/p90/p99 and the max from a
 * log-scale histogram, handler timers, rejections by error code, handler errors, delivery outcomes,
 * connections removed by reason, and gauges of the connection pool (connections, users, queued frames) and the quality
 * sub-dispatcher.
 *
 * <p><b>Two halves.</b> Meters must see every message, so the counting half is a
 * {@link RoutingObserver} that goes into the router's builder ({@link #observer()}); the other half is
 * this {@link MeterBinder}, which registers the meters in a {@link MeterRegistry} whenever one is
 * there ({@link #bindTo}). The order does not matter: every meter reads figures the observer keeps
 * itself from the moment the router was built (function counters, function timers, gauges), so a
 * registry bound later shows them all, and a message costs no registry work. Several registries may
 * be bound; binding one twice does nothing. One instance serves one router.
 *
 * <pre>{@code
 * WsrouterMetrics metrics = WsrouterMetrics.builder().connectionPool(pool).build();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(pool)
 *         .observer(metrics.observer())
 *         .build();
 * metrics.bindTo(registry);          // now or later; in Spring Boot, a MeterBinder bean is bound for you
 * }</pre>
 *
 * <p><b>Meters</b> (names in Micrometer's dot notation; a Prometheus registry shows
 * {@code wsrouter.messages} as {@code wsrouter_messages_total} and {@code wsrouter.route} as
 * {@code wsrouter_route_seconds}):
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>kind</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #MESSAGES}</td><td>counter</td><td>type, outcome</td><td>routeMessage calls</td></tr>
 *   <tr><td>{@value #ROUTE}</td><td>function timer</td><td></td><td>time of each routeMessage call (count, total)</td></tr>
 *   <tr><td>{@value #ROUTE_PERCENTILE}</td><td>time gauge</td><td>phi</td><td>p50, p90, p99 of the route times</td></tr>
 *   <tr><td>{@value #ROUTE_MAX}</td><td>time gauge</td><td></td><td>the longest route</td></tr>
 *   <tr><td>{@value #HANDLER}</td><td>function timer</td><td>handler</td><td>the routes each handler handled</td></tr>
 *   <tr><td>{@value #HANDLER_ERRORS}</td><td>counter</td><td>handler</td><td>exceptions thrown by handlers</td></tr>
 *   <tr><td>{@value #REJECTED}</td><td>counter</td><td>code</td><td>refusals by {@code ErrorCode}</td></tr>
 *   <tr><td>{@value #FRAMES}</td><td>counter</td><td>outcome</td><td>outbound frames sent, dropped, failed</td></tr>
 *   <tr><td>{@value #REMOVED}</td><td>counter</td><td>reason</td><td>connections removed by {@code RemovalReason}</td></tr>
 *   <tr><td>{@value #CONNECTIONS}</td><td>gauge</td><td></td><td>registered connections (with a pool)</td></tr>
 *   <tr><td>{@value #USERS}</td><td>gauge</td><td></td><td>users with a connection (with a pool)</td></tr>
 *   <tr><td>{@value #QUEUED}</td><td>gauge</td><td></td><td>frames waiting in outbound queues (with a pool)</td></tr>
 *   <tr><td>{@value #QUALITY_HANDLERS}</td><td>gauge</td><td></td><td>handlers of the quality sub-dispatcher (with one)</td></tr>
 *   <tr><td>{@value #BROKER_EVENTS}, {@value #BROKER_RESUMES}, {@value #BROKER_GAPS}, {@value #BROKER_OUTAGE}</td>
 *       <td>function counters</td><td>outcome</td><td>the broker's figures (with one)</td></tr>
 *   <tr><td>{@value #BROKER_HISTORY_EVENTS}, {@value #BROKER_HISTORY_SIZE}, {@value #BROKER_STREAMS}</td>
 *       <td>gauges</td><td></td><td>the broker's history and streams now (with one)</td></tr>
 * </table>
 *
 * <p><b>Bounded tags.</b> A client chooses the message types it sends, so the {@code type} tag must
 * not follow it: a type gets a tag value of its own only once a handler (or the quality
 * sub-dispatcher) has handled a message of that type or failed on one, and at most
 * {@code maxTypeTags} types do (default {@value #DEFAULT_MAX_TYPE_TAGS}, the router's own bound on the statistics' type keys);
 * every other type counts under {@value #UNKNOWN_TYPE}, and a frame rejected before its type was
 * read under {@code none}. Handler names come from the server, and are bounded as well
 * ({@code maxHandlerTags}, then {@code other}).
 *
 * <p><b>Route times.</b> Every call is recorded in a log-scale histogram (four buckets per power of
 * two); a percentile is the upper bound of its bucket, at most 25% above the true value, never above
 * the exact max (which is over the router's life), and taken over recent routes: those since the
 * newest earlier reading that is at least a minute old (readings are kept at most every 10 s), so the
 * last one to two minutes for a registry scraped every 15 to 60 s, and every route before the first
 * minute; a cold start does not stay in them. A Micrometer {@code Timer} with percentiles costs about as much to record as
 * the route it times, so it is not used on the hot path; for that reason there is no Prometheus
 * {@code _bucket} series either.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; the observer is called from every routing thread.
 * Its hot path takes no lock and does no registry work: two map reads and a few uncontended
 * {@code LongAdder} adds (the cost is measured in router-bench's {@code MetricsCost}, W1 paired with
 * and without).
 */
public final class WsrouterMetrics implements MeterBinder {

    /** Counter: routeMessage calls, tagged {@code type} and {@code outcome} (handled, unhandled, failed, rejected). */
    public static final String MESSAGES = "wsrouter.messages";
    /** Timer (count and total): the time of every routeMessage call. */
    public static final String ROUTE = "wsrouter.route";
    /** Time gauge: the longest routeMessage call. */
    public static final String ROUTE_MAX = "wsrouter.route.max";
    /** Time gauges: percentiles of the routeMessage call times, tagged {@code phi} (0.5, 0.9, 0.99). */
    public static final String ROUTE_PERCENTILE = "wsrouter.route.percentile";
    /** Timer (count and total): the routeMessage calls each handler handled, tagged {@code handler}. */
    public static final String HANDLER = "wsrouter.handler";
    /** Counter: exceptions thrown by handlers (and sub-dispatcher, JSON-RPC methods, agent service), tagged {@code handler}. */
    public static final String HANDLER_ERRORS = "wsrouter.handler.errors";
    /** Counter: refusals, tagged {@code code} (the {@code ErrorCode} name). */
    public static final String REJECTED = "wsrouter.messages.rejected";
    /** Counter: outbound frames, tagged {@code outcome} (sent, dropped, failed). */
    public static final String FRAMES = "wsrouter.frames";
    /** Counter: connections removed by the pool, tagged {@code reason} (the {@code RemovalReason}, lower case). */
    public static final String REMOVED = "wsrouter.connections.removed";
    /** Gauge: registered connections. */
    public static final String CONNECTIONS = "wsrouter.connections";
    /** Gauge: users with at least one connection. */
    public static final String USERS = "wsrouter.users";
    /** Gauge: frames waiting in outbound queues. */
    public static final String QUEUED = "wsrouter.frames.queued";
    /** Gauge: handlers of the quality sub-dispatcher. */
    public static final String QUALITY_HANDLERS = "wsrouter.quality.handlers";
    /** Counter: broker events, tagged {@code outcome}: {@code published} (sequenced), {@code unrouted}, {@code replayed}, {@code evicted}. */
    public static final String BROKER_EVENTS = "wsrouter.broker.events";
    /** Counter: resumes, tagged {@code outcome} ({@code recovered}, {@code not_recovered}). */
    public static final String BROKER_RESUMES = "wsrouter.broker.resumes";
    /** Counter: gaps in a user's offsets filled from shared history (distributed brokers). */
    public static final String BROKER_GAPS = "wsrouter.broker.gaps.filled";
    /** Function counter, seconds: total time the broker's backing store was unreachable. */
    public static final String BROKER_OUTAGE = "wsrouter.broker.outage";
    /** Gauge: events held in history now. */
    public static final String BROKER_HISTORY_EVENTS = "wsrouter.broker.history.events";
    /** Gauge, bytes: estimated size of history now. */
    public static final String BROKER_HISTORY_SIZE = "wsrouter.broker.history.size";
    /** Gauge: users whose stream is kept now. */
    public static final String BROKER_STREAMS = "wsrouter.broker.streams";
    /** The {@code type} tag value shared by every type without a tag of its own. */
    public static final String UNKNOWN_TYPE = "unknown";
    /** Types with a {@code type} tag of their own: 256, as the router's statistics. */
    public static final int DEFAULT_MAX_TYPE_TAGS = 256;
    /** Handler names with a {@code handler} tag of their own: 256. */
    public static final int DEFAULT_MAX_HANDLER_TAGS = 256;

    /** The percentiles published of the route time. */
    static final double[] PERCENTILES = {0.5, 0.9, 0.99};

    private final MeterObserver observer;
    private final Tags tags;
    private final ConnectionRegistry pool;
    private final SubDispatcher quality;
    private final Broker broker;

    private WsrouterMetrics(Builder b) {
        this.broker = b.broker;
        this.tags = b.tags;
        this.pool = b.pool;
        this.quality = b.quality;
        this.observer = new MeterObserver(b.tags, b.maxTypeTags, b.maxHandlerTags);
    }

    /** {@return metrics with the defaults: no pool or quality gauges, no extra tags} */
    public static WsrouterMetrics create() {
        return builder().build();
    }

    /** {@return a builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the observer to install with {@code CanonicalMessageRouter.Builder.observer(...)}; the
     *          same instance on every call. Install it in one router only}
     */
    public RoutingObserver observer() {
        return observer;
    }

    /**
     * Registers every meter in the registry. Idempotent per registry; may be called before or after
     * the router is built, and for several registries.
     *
     * @throws NullPointerException when registry is null
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        observer.bindTo(registry);
        if (pool != null) {
            Gauge.builder(CONNECTIONS, pool, ConnectionRegistry::activeConnections)
                    .description("Registered connections").baseUnit("connections")
                    .tags(tags).strongReference(true).register(registry);
            Gauge.builder(USERS, pool, ConnectionRegistry::connectedUsers)
                    .description("Users with at least one connection").baseUnit("users")
                    .tags(tags).strongReference(true).register(registry);
            Gauge.builder(QUEUED, pool, p -> p.deliveryStatistics().framesQueued())
                    .description("Frames waiting in outbound queues")
                    .tags(tags).strongReference(true).register(registry);
        }
        if (quality != null) {
            Gauge.builder(QUALITY_HANDLERS, quality, SubDispatcher::activeHandlers)
                    .description("Handlers of the quality sub-dispatcher").baseUnit("handlers")
                    .tags(tags).strongReference(true).register(registry);
        }
        if (broker != null) {
            bindBroker(registry);
        }
    }

    private void bindBroker(MeterRegistry registry) {
        brokerCounter(registry, BROKER_EVENTS, "outcome", "published", BrokerStatistics::published);
        brokerCounter(registry, BROKER_EVENTS, "outcome", "unrouted", BrokerStatistics::unrouted);
        brokerCounter(registry, BROKER_EVENTS, "outcome", "replayed", BrokerStatistics::eventsReplayed);
        brokerCounter(registry, BROKER_EVENTS, "outcome", "evicted", BrokerStatistics::eventsEvicted);
        brokerCounter(registry, BROKER_RESUMES, "outcome", "recovered", BrokerStatistics::resumesRecovered);
        brokerCounter(registry, BROKER_RESUMES, "outcome", "not_recovered", BrokerStatistics::resumesNotRecovered);
        FunctionCounter.builder(BROKER_GAPS, broker, b -> b.statistics().gapsFilled())
                .description("Gaps in a user's offsets filled from shared history").tags(tags).register(registry);
        FunctionCounter.builder(BROKER_OUTAGE, broker, b -> b.statistics().outageMillis() / 1000.0)
                .description("Total time the broker's backing store was unreachable").baseUnit("seconds")
                .tags(tags).register(registry);
        Gauge.builder(BROKER_HISTORY_EVENTS, broker, b -> b.statistics().historyEvents())
                .description("Events held in history").tags(tags).strongReference(true).register(registry);
        Gauge.builder(BROKER_HISTORY_SIZE, broker, b -> b.statistics().historyBytes())
                .description("Estimated size of history").baseUnit("bytes").tags(tags).strongReference(true).register(registry);
        Gauge.builder(BROKER_STREAMS, broker, b -> b.statistics().streams())
                .description("Users whose stream is kept").tags(tags).strongReference(true).register(registry);
    }

    private void brokerCounter(MeterRegistry registry, String name, String key, String value,
                               ToLongFunction<BrokerStatistics> figure) {
        FunctionCounter.builder(name, broker, b -> figure.applyAsLong(b.statistics()))
                .description("Broker figures (BrokerStatistics)").tags(tags).tag(key, value).register(registry);
    }

    /**
     * Builds {@link WsrouterMetrics}. Not thread-safe; what it builds is.
     *
     * <pre>{@code
     * WsrouterMetrics metrics = WsrouterMetrics.builder()
     *         .connectionPool(pool)          // gauges: connections, users, queued frames
     *         .quality(quality)              // gauge: quality handlers
 *         .broker(broker)                // broker events, resumes, history
     *         .tags(Tags.of("router", "chat"))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private Tags tags = Tags.empty();
        private ConnectionRegistry pool;
        private SubDispatcher quality;
        private Broker broker;
        private int maxTypeTags = DEFAULT_MAX_TYPE_TAGS;
        private int maxHandlerTags = DEFAULT_MAX_HANDLER_TAGS;

        private Builder() {
        }

        /**
         * Sets the connection pool whose gauges are registered.
         *
         * @param value the router's pool ({@code io.wsrouter.events.ConnectionPool}), for its gauges
         * @return this builder
         */
        public Builder connectionPool(ConnectionRegistry value) {
            this.pool = Objects.requireNonNull(value, "connectionPool");
            return this;
        }

        /**
         * Sets the quality sub-dispatcher whose gauge is registered.
         *
         * @param value the router's quality sub-dispatcher ({@code io.wsrouter.quality.QualityDispatcher}), for its gauge
         * @return this builder
         */
        public Builder quality(SubDispatcher value) {
            this.quality = Objects.requireNonNull(value, "quality");
            return this;
        }

        /**
         * Sets the broker whose counters and gauges are registered.
         *
         * @param value the router's broker (offsets and resume), for its counters and gauges; each
         *              reading takes one {@code statistics()} snapshot
         * @return this builder
         */
        public Builder broker(Broker value) {
            this.broker = Objects.requireNonNull(value, "broker");
            return this;
        }

        /**
         * Sets the tags added to every meter.
         *
         * @param value tags added to every meter (to tell several routers apart, say)
         * @return this builder
         */
        public Builder tags(Iterable<Tag> value) {
            this.tags = Tags.of(Objects.requireNonNull(value, "tags"));
            return this;
        }

        /**
         * Sets how many message types get a {@code type} tag of their own.
         *
         * @param value the most message types with a {@code type} tag of their own; default 256
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxTypeTags(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxTypeTags must be > 0 but was " + value);
            }
            this.maxTypeTags = value;
            return this;
        }

        /**
         * Sets how many handlers get a {@code handler} tag of their own.
         *
         * @param value the most handler names with a {@code handler} tag of their own; default 256
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxHandlerTags(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxHandlerTags must be > 0 but was " + value);
            }
            this.maxHandlerTags = value;
            return this;
        }

        /** {@return new metrics} */
        public WsrouterMetrics build() {
            return new WsrouterMetrics(this);
        }
    }
}
