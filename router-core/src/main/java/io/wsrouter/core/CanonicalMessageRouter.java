package io.wsrouter.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one message router: every inbound frame of every connection goes through
 * {@link #routeMessage(String, String, String)}, every outbound event to a user through
 * {@link #emitToUser(String, String, Object)}.
 *
 * <p><b>Pipeline</b>, for every message, in this order:
 * <ol>
 *   <li>Ingress: the connection is admitted (registered to the user on its first frame, refused with
 *       {@link ErrorCode#FORBIDDEN} when it belongs to another user), then the text is parsed once
 *       under {@link MessageLimits}. Bad input never throws: the sender gets an {@code error_message}
 *       frame with the {@link ErrorCode}, the frame counts as rejected and the call returns
 *       {@code false}.</li>
 *   <li>Normalise: the legacy alias map ({@code typing} -> {@code user_typing}, ...); JSON-RPC 2.0
 *       detection.</li>
 *   <li>Quality sub-dispatcher: when installed and claiming the type, it handles the message and
 *       routing ends.</li>
 *   <li>Connection events: {@code connect} / {@code disconnect} are counted; a {@code disconnect}
 *       unregisters the connection after its acknowledgement was queued.</li>
 *   <li>Handler chain: custom handlers (by priority, then insertion order), then built-ins; the
 *       first that returns {@code true} wins; a handler that throws is counted, logged once with its
 *       name, and the next one is tried.</li>
 *   <li>Fallback: nobody handled it, so it counts as unhandled and the sender gets
 *       {@code {"type":"ack","data":{"received_type":...,"status":"acknowledged"}}}.</li>
 * </ol>
 *
 * <p><b>Thread safety:</b> every method may be called from any number of threads. Routing and emit
 * take no lock: the handler chain is an immutable snapshot replaced on
 * {@link #addCustomHandler}/{@link #removeCustomHandler}, so a route sees one consistent chain.
 *
 * <p><b>Without a connection pool</b> routing and statistics work, replies go nowhere,
 * {@link #registerConnection} and {@link #emitToUser} return {@code false}.
 *
 * <p><b>Structure:</b> this class is a facade. The {@code Builder} wires the collaborators once:
 * the ingress (admission, rate limit, parsing), the pipeline (steps 2-6), the handler table, the
 * outbound seam (every frame leaves through it, to the pool's {@link FrameDelivery}) and the
 * telemetry (statistics and {@link RoutingObserver}s). None of them holds the router.
 *
 * <p><b>Ownership:</b> the router closes the connection pool and the quality sub-dispatcher it was
 * built with when it is {@linkplain #close() closed}.
 *
 * <pre>{@code
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(pool)
 *         .agentService(agents)
 *         .build();
 * // WebSocket container callbacks:
 * router.registerConnection(userId, sessionId);          // on open
 * router.routeMessage(userId, sessionId, text);          // on text frame
 * router.unregisterConnection(sessionId);                // on close
 * router.emitToUser(userId, "agent_thinking", Map.of("reasoning", "..."));
 * }</pre>
 */
public final class CanonicalMessageRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CanonicalMessageRouter.class);

    /** The startup grace period: 10 s. */
    public static final Duration DEFAULT_STARTUP_GRACE_PERIOD = Duration.ofSeconds(10);
    /** The most distinct type keys in {@link RoutingStatistics#messageTypes()}: 256. */
    public static final int DEFAULT_MAX_TYPE_KEYS = 256;
    /** Rejected frames logged per 10 s window before the rest are only counted: 20. */
    public static final int DEFAULT_REJECTION_LOG_LIMIT = 20;
    private static final long REJECTION_LOG_WINDOW_MILLIS = 10_000;

    private final ConnectionRegistry registry;
    private final SubDispatcher quality;
    private final AgentService agentService;
    private final MessageLimits limits;
    private final Ingress ingress;
    private final Pipeline pipeline;
    private final HandlerTable handlers;
    private final Outbound out;
    private final StatisticsRecorder recorder;
    private final Clock clock;
    private final Instant startedAt;
    private final Duration gracePeriod;
    private final Broker broker;

    private CanonicalMessageRouter(Builder b, Ingress ingress, Pipeline pipeline, HandlerTable handlers, Outbound out,
                                   StatisticsRecorder recorder, Instant startedAt, Broker broker) {
        this.broker = broker;
        this.registry = b.registry;
        this.quality = b.quality;
        this.agentService = b.agentService;
        this.limits = b.limits;
        this.clock = b.clock;
        this.gracePeriod = b.gracePeriod;
        this.ingress = ingress;
        this.pipeline = pipeline;
        this.handlers = handlers;
        this.out = out;
        this.recorder = recorder;
        this.startedAt = startedAt;
    }

    /** {@return a builder with the defaults of DESIGN section 6} */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- transport entry points

    /**
     * Registers a connection the transport opened.
     *
     * @param userId       the authenticated user the connection belongs to
     * @param connectionId the transport's id of the connection (for example the WebSocket session id)
     * @return {@code true} when the connection now belongs to the user (also when it already did);
     *         {@code false} when it belongs to another user ({@link ErrorCode#FORBIDDEN}), the user is
     *         at the connection limit ({@link ErrorCode#CONNECTION_LIMIT}), there is no pool, or the
     *         router is closed. The host should close the socket on {@code false}.
     * @throws NullPointerException when an argument is null
     */
    public boolean registerConnection(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        return ingress.hasPool() && !out.isClosed() && ingress.admit(userId, connectionId);
    }

    /**
     * Unregisters a connection the transport saw close.
     *
     * @param connectionId the transport's id of the connection
     * @return whether it was registered
     * @throws NullPointerException when connectionId is null
     */
    public boolean unregisterConnection(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        return ingress.unregister(connectionId);
    }

    /**
     * Routes one raw text frame read from a connection. The transport's {@code connectionId} is
     * trusted as the socket the frame came from; a {@code connection_id} inside the frame is ignored.
     * A connection that was not registered yet is registered to the user now.
     *
     * @param userId       the authenticated user of the connection
     * @param connectionId the connection the frame was read from
     * @param frame        the text frame
     * @return {@code true} when the message was handled or acknowledged; {@code false} when it was
     *         rejected (bad input, forbidden connection, limits, closed router) or its handler failed
     * @throws NullPointerException when userId or connectionId is null (a null frame is rejected as
     *                              {@link ErrorCode#INVALID_JSON})
     */
    public boolean routeMessage(String userId, String connectionId, String frame) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        return pipeline.routeFrame(userId, connectionId, frame);
    }

    /**
     * Routes one message from a connection (for hosts and facades that parsed it themselves).
     *
     * @param userId       the authenticated user of the connection
     * @param connectionId the connection the message was read from
     * @param message      the parsed message
     * @return as {@link #routeMessage(String, String, String)}
     * @throws NullPointerException when an argument is null
     */
    public boolean routeMessage(String userId, String connectionId, Message message) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(message, "message");
        return pipeline.routeMessage(userId, connectionId, message);
    }

    /**
     * Routes a message that arrived without a transport connection (the seed's entry point). Replies
     * go to the connection named by the message's {@code connection_id} when the user owns it, and
     * otherwise to every connection of the user.
     *
     * @param userId  the authenticated user the message comes from
     * @param message the parsed message
     * @return as {@link #routeMessage(String, String, String)}
     * @throws NullPointerException when an argument is null
     */
    public boolean routeMessage(String userId, Message message) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        return pipeline.routeConnectionless(userId, message);
    }

    /**
     * Routes a raw text frame that arrived without a transport connection (legacy entry points that
     * hand over a message dict). Parsed and rejected exactly like a frame from a connection (same
     * limits, same error codes, counted); the error frame or the replies go to the connection named
     * by the frame's {@code connection_id} when the user owns it, and otherwise to every connection
     * of the user. No rate limit applies (there is no connection to charge). Named apart from the
     * {@code routeMessage} overloads so that {@code routeMessage(userId, sessionId)} cannot compile
     * into this by mistake.
     *
     * <pre>{@code
     * router.routeConnectionlessFrame("alice", "{\"type\":\"ping\",\"connection_id\":\"c1\"}");
     * }</pre>
     *
     * @param userId the authenticated user the frame comes from
     * @param frame  the text frame
     * @return as {@link #routeMessage(String, String, String)}
     * @throws NullPointerException when userId is null (a null frame is rejected as {@link ErrorCode#INVALID_JSON})
     */
    public boolean routeConnectionlessFrame(String userId, String frame) {
        Objects.requireNonNull(userId, "userId");
        return pipeline.routeConnectionlessFrame(userId, frame);
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Sends one event to every connection of a user, in the wire envelope
     * {@code {"type":eventType,"data":data,"timestamp":...}}. Serialized once; queued per connection
     * without blocking.
     *
     * @param userId    the user whose connections get the event
     * @param eventType the {@code type} of the envelope, for example {@code "agent_thinking"}
     * @param data      the {@code data} object, serialized with Jackson; null means {@code {}}
     * @return {@code true} when at least one connection accepted it; {@code false} without a pool,
     *         when the user has no connection, or the router is closed
     * @throws NullPointerException     when userId or eventType is null
     * @throws IllegalArgumentException when data cannot be serialized
     */
    public boolean emitToUser(String userId, String eventType, Object data) {
        return emitToUserCount(userId, eventType, data) > 0;
    }

    /**
     * As {@link #emitToUser(String, String, Object)}, returning how many connections accepted the event.
     *
     * @param userId    the user whose connections get the event
     * @param eventType the {@code type} of the envelope
     * @param data      the {@code data} object, serialized with Jackson; null means {@code {}}
     * @return how many connections of the user accepted it; 0 without a pool, when the user has no
     *         connection, or the router is closed
     * @throws NullPointerException     when userId or eventType is null
     * @throws IllegalArgumentException when data cannot be serialized
     */
    public int emitToUserCount(String userId, String eventType, Object data) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(eventType, "eventType");
        return out.emitEvent(userId, eventType, data);
    }

    // ---------------------------------------------------------------- handlers

    /**
     * Adds a custom handler: it runs before every built-in, after custom handlers of lower priority
     * and of equal priority added earlier. Safe while messages are routed.
     *
     * @param handler the handler to add
     * @throws NullPointerException     when handler is null
     * @throws IllegalArgumentException when its {@code messageTypes()} is null
     */
    public void addCustomHandler(MessageHandler handler) {
        handlers.addCustom(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Inserts a custom handler at a position among the custom handlers (0 = first; past the end =
     * last), then orders by priority, so the position decides among equal priorities.
     *
     * @param position the index among the custom handlers, 0-based; past the end means last
     * @param handler  the handler to insert
     * @throws NullPointerException when handler is null
     */
    public void insertCustomHandler(int position, MessageHandler handler) {
        handlers.insertCustom(position, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Removes a custom handler (the same instance). Built-ins are never removed by this method: see
     * {@link #removeBuiltinHandler(MessageHandler)}.
     *
     * @param handler the handler instance that was added
     * @return whether it was a registered custom handler
     * @throws NullPointerException when handler is null
     */
    public boolean removeCustomHandler(MessageHandler handler) {
        return handlers.removeCustom(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Removes a built-in handler (the same instance, as listed by {@link #handlers()}), so its types
     * fall through to the fallback {@code ack}. For the legacy {@code MessageRouter.removeHandler},
     * which could remove any handler.
     *
     * @param handler the built-in handler instance, from {@link #handlers()}
     * @return whether it was a built-in handler of this router
     * @throws NullPointerException when handler is null
     */
    public boolean removeBuiltinHandler(MessageHandler handler) {
        return handlers.removeBuiltin(Objects.requireNonNull(handler, "handler"));
    }

    /** {@return the handler names in chain order (custom, then built-in); an unmodifiable copy} */
    public List<String> handlerOrder() {
        return handlers.snapshot().order();
    }

    /** {@return the handlers in chain order; an unmodifiable copy} */
    public List<MessageHandler> handlers() {
        return handlers.handlers();
    }

    /**
     * {@return for each type some handler claims, the names of the handlers that claim it, in chain
     *          order (the type index, for diagnostics)}
     */
    public Map<String, List<String>> handlerTable() {
        return handlers.table();
    }

    // ---------------------------------------------------------------- state

    /** {@return an immutable snapshot of the figures} */
    public RoutingStatistics statistics() {
        int active = registry == null ? 0 : registry.activeConnections();
        int users = registry == null ? 0 : registry.connectedUsers();
        return recorder.snapshot(clock, active, users, quality == null ? 0 : quality.activeHandlers(),
                out.deliveryStatistics());
    }

    /**
     * {@return {@link HandlerStatus#INITIALIZING} within the startup grace period, then
     *          {@link HandlerStatus#READY}, or {@link HandlerStatus#ERROR} when no handler is registered}
     */
    public HandlerStatus handlerStatus() {
        if (uptime().compareTo(gracePeriod) < 0) {
            return HandlerStatus.INITIALIZING;
        }
        return handlers.snapshot().size() == 0 ? HandlerStatus.ERROR : HandlerStatus.READY;
    }

    /** {@return the time since the router was built} */
    public Duration uptime() {
        return Duration.between(startedAt, clock.instant());
    }

    /** {@return the startup grace period} */
    public Duration startupGracePeriod() {
        return gracePeriod;
    }

    /** {@return the connection pool, when configured} */
    public Optional<ConnectionRegistry> connectionPool() {
        return Optional.ofNullable(registry);
    }

    /**
     * {@return the broker the user's event stream goes through (offsets, history, resume); empty
     *          without a connection pool}
     */
    public Optional<Broker> broker() {
        return Optional.ofNullable(broker);
    }

    /** {@return the quality sub-dispatcher, when configured ({@code io.wsrouter.quality.QualityDispatcher})} */
    public Optional<SubDispatcher> qualityDispatcher() {
        return Optional.ofNullable(quality);
    }

    /** {@return the host's agent service, when configured} */
    public Optional<AgentService> agentService() {
        return Optional.ofNullable(agentService);
    }

    /** {@return the limits applied to inbound frames} */
    public MessageLimits limits() {
        return limits;
    }

    /** {@return whether {@link #close()} was called} */
    public boolean isClosed() {
        return out.isClosed();
    }

    /**
     * Refuses further messages and events, then closes the quality sub-dispatcher and the connection
     * pool the router was built with. Idempotent.
     */
    @Override
    public void close() {
        if (out.isClosed()) {
            return;
        }
        out.close();
        if (quality != null) {
            try {
                quality.close();
            } catch (RuntimeException e) {
                LOG.warn("quality sub-dispatcher failed to close", e);
            }
        }
        if (broker != null) {
            try {
                broker.close();
            } catch (RuntimeException e) {
                LOG.warn("broker failed to close", e);
            }
        }
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * Builds a {@link CanonicalMessageRouter}. Not thread-safe; the router it builds is. Every
     * setting is optional.
     *
     * <pre>{@code
     * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
     *         .connectionPool(pool)                 // io.wsrouter.events.ConnectionPool
     *         .quality(quality)                     // io.wsrouter.quality.QualityDispatcher
     *         .agentService(agents)
     *         .customHandler(handler)
     *         .jsonRpcMethod("sum", call -> ...)
     *         .limits(MessageLimits.DEFAULT.withMaxFrameBytes(32 * 1024))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private ConnectionRegistry registry;
        private SubDispatcher quality;
        private AgentService agentService;
        private final List<MessageHandler> customHandlers = new ArrayList<>();
        private final Map<String, JsonRpcMethod> jsonRpcMethods = new LinkedHashMap<>();
        private MessageLimits limits = MessageLimits.DEFAULT;
        private int maxTypeKeys = DEFAULT_MAX_TYPE_KEYS;
        private Duration gracePeriod = DEFAULT_STARTUP_GRACE_PERIOD;
        private Clock clock = Clock.systemUTC();
        private boolean builtins = true;
        private RateLimit rateLimit;
        private int rejectionLogLimit = DEFAULT_REJECTION_LOG_LIMIT;
        private final List<RoutingObserver> observers = new ArrayList<>();
        private Broker broker;

        private Builder() {
        }

        /**
         * Turns on the inbound rate limit per connection (off by default). Needs a connection pool.
         *
         * @param value the limit, for example {@code RateLimit.perSecond(50, 100)}
         * @return this builder
         * @throws NullPointerException when value is null
         */
        public Builder rateLimit(RateLimit value) {
            this.rateLimit = Objects.requireNonNull(value, "rateLimit");
            return this;
        }

        /**
         * Sets how many rejected frames are logged per 10 s window.
         *
         * @param value how many rejected frames are logged per 10 s window (then only counted); default 20
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder rejectionLogLimit(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("rejectionLogLimit must be >= 0 but was " + value);
            }
            this.rejectionLogLimit = value;
            return this;
        }

        /**
         * Adds an observer of routing, rejections, handler failures and delivery (see
         * {@link RoutingObserver}); several are called in the order added. None by default: a router
         * without observers calls none of these hooks.
         *
         * @param value the observer to add
         * @return this builder
         * @throws NullPointerException when value is null
         */
        public Builder observer(RoutingObserver value) {
            observers.add(Objects.requireNonNull(value, "observer"));
            return this;
        }

        /**
         * Sets the broker every event of a user's stream goes through (offsets, history, resume);
         * default {@link Broker#inMemory()}. The router binds it to its pool and closes it.
         *
         * @param value the broker, for example {@code RedisBroker.builder("redis://...").build()}
         * @return this builder
         * @throws NullPointerException when value is null
         */
        public Builder broker(Broker value) {
            this.broker = Objects.requireNonNull(value, "broker");
            return this;
        }

        /**
         * Sets the connection pool: replies and events reach connections through it. None by default:
         * without one, routing and statistics work but replies and events go nowhere. The router
         * closes it.
         *
         * @param pool the connection pool ({@code io.wsrouter.events.ConnectionPool})
         * @return this builder
         * @throws NullPointerException when pool is null
         */
        public Builder connectionPool(ConnectionRegistry pool) {
            this.registry = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /**
         * Sets the quality sub-dispatcher; none by default. The router closes it.
         *
         * @param dispatcher the quality sub-dispatcher ({@code io.wsrouter.quality.QualityDispatcher})
         * @return this builder
         * @throws NullPointerException when dispatcher is null
         */
        public Builder quality(SubDispatcher dispatcher) {
            this.quality = Objects.requireNonNull(dispatcher, "dispatcher");
            return this;
        }

        /**
         * Sets the host's agent service, which runs agent requests and chat messages. None by default:
         * agent requests are then answered with {@link ErrorCode#AGENT_UNAVAILABLE}, chat messages
         * are acknowledged.
         *
         * @param service the host's agent runner
         * @return this builder
         * @throws NullPointerException when service is null
         */
        public Builder agentService(AgentService service) {
            this.agentService = Objects.requireNonNull(service, "service");
            return this;
        }

        /**
         * Adds a custom handler, as {@link CanonicalMessageRouter#addCustomHandler} does once built.
         *
         * @param handler a custom handler, added in call order
         * @return this builder
         * @throws NullPointerException when handler is null
         */
        public Builder customHandler(MessageHandler handler) {
            customHandlers.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Registers a JSON-RPC 2.0 method.
         *
         * @param name   the method name a request's {@code "method"} must equal
         * @param method what runs the call
         * @return this builder
         * @throws NullPointerException     when name or method is null
         * @throws IllegalArgumentException when the name is empty, starts with {@code rpc.} (reserved
         *                                  by the specification) or is registered already
         */
        public Builder jsonRpcMethod(String name, JsonRpcMethod method) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(method, "method");
            if (name.isEmpty() || name.startsWith("rpc.")) {
                throw new IllegalArgumentException("JSON-RPC method name must be non-empty and not start with 'rpc.' but was '" + name + "'");
            }
            if (jsonRpcMethods.putIfAbsent(name, method) != null) {
                throw new IllegalArgumentException("JSON-RPC method '" + name + "' is registered already");
            }
            return this;
        }

        /**
         * Sets the limits applied to inbound frames.
         *
         * @param value the inbound limits; default {@link MessageLimits#DEFAULT}
         * @return this builder
         */
        public Builder limits(MessageLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /**
         * Sets how many message types the statistics count under a key of their own.
         *
         * @param value the most distinct keys in {@link RoutingStatistics#messageTypes()}; default 256
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxTypeKeys(int value) {
            MessageLimits.requirePositive("maxTypeKeys", value);
            this.maxTypeKeys = value;
            return this;
        }

        /**
         * Sets how long after the build the router reports itself as starting.
         *
         * @param value how long {@link CanonicalMessageRouter#handlerStatus()} reports INITIALIZING;
         *              default 10 s
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder startupGracePeriod(Duration value) {
            Objects.requireNonNull(value, "startupGracePeriod");
            if (value.isNegative()) {
                throw new IllegalArgumentException("startupGracePeriod must be >= 0 but was " + value);
            }
            this.gracePeriod = value;
            return this;
        }

        /**
         * Sets the clock of timestamps, the grace period and statistics.
         *
         * @param value the clock for timestamps, the grace period and statistics; default UTC system clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets whether the built-in handlers are installed after the custom ones.
         *
         * @param enabled whether to install the built-in handlers (default {@code true})
         * @return this builder
         */
        public Builder builtinHandlers(boolean enabled) {
            this.builtins = enabled;
            return this;
        }

        /**
         * {@return a new router}
         * @throws IllegalStateException when a rate limit is set without a connection pool
         */
        public CanonicalMessageRouter build() {
            if (rateLimit != null && registry == null) {
                throw new IllegalStateException("rateLimit needs a connectionPool: buckets live and die with registered connections");
            }
            // The one place the router's collaborators are made; none of them gets the router.
            MessageParser parser = limits.equals(MessageLimits.DEFAULT) ? MessageParser.DEFAULT : new MessageParser(limits);
            Instant startedAt = clock.instant();
            StatisticsRecorder recorder = new StatisticsRecorder(maxTypeKeys, startedAt);
            RoutingObserver observer = Observers.of(List.copyOf(observers));
            Telemetry telemetry = new Telemetry(recorder, observer,
                    new RejectionLog(LOG, rejectionLogLimit, REJECTION_LOG_WINDOW_MILLIS), clock);
            FrameDelivery delivery = registry == null ? Outbound.NOWHERE : registry;
            Broker streams = registry == null ? null : broker != null ? broker : Broker.inMemory();
            StreamDelivery stream = streams == null ? null : StreamDelivery.bind(registry, streams);
            Frames frames = new Frames(parser.mapper(), clock);
            Outbound out = new Outbound(frames, delivery, stream);
            FloodGate floodGate = rateLimit == null ? null : new FloodGate(rateLimit, registry);
            Ingress ingress = new Ingress(registry, floodGate, parser, out, telemetry, clock, streams);
            HandlerTable handlers = new HandlerTable(recorder);
            Pipeline pipeline = new Pipeline(ingress, handlers, out, telemetry, quality);
            if (builtins) {
                handlers.installBuiltins(BuiltinHandlers.create(parser, pipeline, telemetry, agentService, jsonRpcMethods,
                        streams == null ? null : new ResumeHandler(streams, frames)));
            }
            customHandlers.forEach(handlers::addCustom);
            if (observer != null && registry != null) {
                registry.observeDelivery(observer);
                registry.addListener(observer::connectionRemoved);
            }
            if (quality != null) {
                quality.attach(new DispatcherHost(out, agentService));
            }
            return new CanonicalMessageRouter(this, ingress, pipeline, handlers, out, recorder, startedAt, streams);
        }
    }
}
