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
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
    private final Set<String> qualityTypes;
    private final AgentService agentService;
    private final MessageParser parser;
    private final Frames frames;
    private final StatisticsRecorder recorder;
    private final Clock clock;
    private final Instant startedAt;
    private final Duration gracePeriod;
    /** The per-connection rate limit, or null when off. */
    private final FloodGate floodGate;
    private final RejectionLog rejectionLog;
    private final Object chainLock = new Object();
    private volatile HandlerChain chain;
    private volatile boolean closed;

    private CanonicalMessageRouter(Builder b) {
        this.registry = b.registry;
        this.quality = b.quality;
        this.qualityTypes = quality == null ? Set.of() : Set.copyOf(quality.claimedTypes());
        this.agentService = b.agentService;
        this.parser = b.limits.equals(MessageLimits.DEFAULT) ? MessageParser.DEFAULT : new MessageParser(b.limits);
        this.clock = b.clock;
        this.startedAt = clock.instant();
        this.gracePeriod = b.gracePeriod;
        this.frames = new Frames(parser.mapper(), clock);
        this.recorder = new StatisticsRecorder(b.maxTypeKeys, startedAt);
        this.rejectionLog = new RejectionLog(LOG, b.rejectionLogLimit, REJECTION_LOG_WINDOW_MILLIS);
        if (b.rateLimit != null && registry == null) {
            throw new IllegalStateException("rateLimit needs a connectionPool: buckets live and die with registered connections");
        }
        this.floodGate = b.rateLimit == null ? null : new FloodGate(b.rateLimit, registry);
        List<HandlerChain.Slot> builtins = new ArrayList<>();
        if (b.builtins) {
            for (MessageHandler h : BuiltinHandlers.create(this, b.jsonRpcMethods)) {
                builtins.add(new HandlerChain.Slot(h, recorder.countersFor(h.name())));
            }
        }
        HandlerChain initial = HandlerChain.of(builtins);
        for (MessageHandler h : b.customHandlers) {
            initial = initial.withCustom(slot(h));
        }
        this.chain = initial;
        if (quality != null) {
            quality.attach(this);
        }
    }

    /** @return a builder with the defaults of DESIGN section 6 */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- transport entry points

    /**
     * Registers a connection the transport opened.
     *
     * @return {@code true} when the connection now belongs to the user (also when it already did);
     *         {@code false} when it belongs to another user ({@link ErrorCode#FORBIDDEN}), the user is
     *         at the connection limit ({@link ErrorCode#CONNECTION_LIMIT}), there is no pool, or the
     *         router is closed. The host should close the socket on {@code false}.
     * @throws NullPointerException when an argument is null
     */
    public boolean registerConnection(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        if (registry == null || closed) {
            return false;
        }
        return admit(userId, connectionId);
    }

    /**
     * Unregisters a connection the transport saw close.
     *
     * @return whether it was registered
     */
    public boolean unregisterConnection(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        if (registry == null) {
            return false;
        }
        boolean removed = registry.unregister(connectionId);
        if (floodGate != null) {
            floodGate.forget(connectionId);
        }
        if (removed) {
            recorder.connectionEvents.increment();
        }
        return removed;
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
        long start = startTiming();
        try {
            if (closed) {
                recorder.reject(ErrorCode.ROUTER_CLOSED);
                return false;
            }
            if (registry != null && !admit(userId, connectionId)) {
                return false;
            }
            if (floodGate != null && !acquire(userId, connectionId, 1)) {
                return false;
            }
            Message message;
            try {
                message = parser.parse(frame);
            } catch (MessageFormatException e) {
                rejectFrame(userId, connectionId, frame, e);
                return false;
            }
            if (floodGate != null && !acquire(userId, connectionId, FloodGate.entries(message) - 1)) {
                return false;
            }
            return route(userId, connectionId, message) != Outcome.FAILED;
        } finally {
            stopTiming(start);
        }
    }

    /**
     * Routes one message from a connection (for hosts and facades that parsed it themselves).
     *
     * @return as {@link #routeMessage(String, String, String)}
     */
    public boolean routeMessage(String userId, String connectionId, Message message) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(message, "message");
        long start = startTiming();
        try {
            if (closed) {
                recorder.reject(ErrorCode.ROUTER_CLOSED);
                return false;
            }
            if (registry != null && !admit(userId, connectionId)) {
                return false;
            }
            if (floodGate != null && !acquire(userId, connectionId, FloodGate.entries(message))) {
                return false;
            }
            return route(userId, connectionId, message) != Outcome.FAILED;
        } finally {
            stopTiming(start);
        }
    }

    /**
     * Routes a message that arrived without a transport connection (the seed's entry point). Replies
     * go to the connection named by the message's {@code connection_id} when the user owns it, and
     * otherwise to every connection of the user.
     *
     * @return as {@link #routeMessage(String, String, String)}
     */
    public boolean routeMessage(String userId, Message message) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        long start = startTiming();
        try {
            if (closed) {
                recorder.reject(ErrorCode.ROUTER_CLOSED);
                return false;
            }
            return route(userId, ownedConnection(userId, message), message) != Outcome.FAILED;
        } finally {
            stopTiming(start);
        }
    }

    /**
     * Routes a raw text frame that arrived without a transport connection (legacy entry points that
     * hand over a message dict). Parsed and rejected exactly like a frame from a connection (same
     * limits, same error codes, counted); the error frame or the replies go to the connection named
     * by the frame's {@code connection_id} when the user owns it, and otherwise to every connection
     * of the user. No rate limit applies (there is no connection to charge).
     *
     * @return as {@link #routeMessage(String, String, String)}
     */
    public boolean routeMessage(String userId, String frame) {
        Objects.requireNonNull(userId, "userId");
        long start = startTiming();
        try {
            if (closed) {
                recorder.reject(ErrorCode.ROUTER_CLOSED);
                return false;
            }
            Message message;
            try {
                message = parser.parse(frame);
            } catch (MessageFormatException e) {
                rejectFrame(userId, null, frame, e);
                return false;
            }
            return route(userId, ownedConnection(userId, message), message) != Outcome.FAILED;
        } finally {
            stopTiming(start);
        }
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Sends one event to every connection of a user, in the wire envelope
     * {@code {"type":eventType,"data":data,"timestamp":...}}. Serialized once; queued per connection
     * without blocking.
     *
     * @param data the {@code data} object, serialized with Jackson; null means {@code {}}
     * @return {@code true} when at least one connection accepted it; {@code false} without a pool,
     *         when the user has no connection, or the router is closed
     * @throws IllegalArgumentException when data cannot be serialized
     */
    public boolean emitToUser(String userId, String eventType, Object data) {
        return emitToUserCount(userId, eventType, data) > 0;
    }

    /**
     * As {@link #emitToUser(String, String, Object)}, returning how many connections accepted the event.
     */
    public int emitToUserCount(String userId, String eventType, Object data) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(eventType, "eventType");
        if (registry == null || closed) {
            return 0;
        }
        String frame;
        try {
            frame = frames.envelope(eventType, data, null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot serialize the data of event '" + eventType + "'", e);
        }
        return registry.sendToUser(userId, frame);
    }

    // ---------------------------------------------------------------- handlers

    /**
     * Adds a custom handler: it runs before every built-in, after custom handlers of lower priority
     * and of equal priority added earlier. Safe while messages are routed.
     *
     * @throws NullPointerException     when handler is null
     * @throws IllegalArgumentException when its {@code messageTypes()} is null
     */
    public void addCustomHandler(MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        HandlerChain.Slot slot = slot(handler);
        synchronized (chainLock) {
            chain = chain.withCustom(slot);
        }
    }

    /**
     * Inserts a custom handler at a position among the custom handlers (0 = first; past the end =
     * last), then orders by priority, so the position decides among equal priorities.
     *
     * @throws NullPointerException when handler is null
     */
    public void insertCustomHandler(int position, MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        HandlerChain.Slot slot = slot(handler);
        synchronized (chainLock) {
            chain = chain.withCustomAt(position, slot);
        }
    }

    /**
     * Removes a handler (the same instance): a custom one first, else a built-in.
     *
     * @return whether it was registered
     */
    public boolean removeCustomHandler(MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (chainLock) {
            HandlerChain next = chain.without(handler);
            if (next == chain) {
                return false;
            }
            chain = next;
            return true;
        }
    }

    /** @return the handler names in chain order (custom, then built-in); an unmodifiable copy */
    public List<String> handlerOrder() {
        return chain.order();
    }

    /** @return the handlers in chain order; an unmodifiable copy */
    public List<MessageHandler> handlers() {
        List<MessageHandler> list = new ArrayList<>();
        chain.slots().forEach(s -> list.add(s.handler));
        return List.copyOf(list);
    }

    /**
     * @return for each type some handler claims, the names of the handlers that claim it, in chain
     *         order (the type index, for diagnostics)
     */
    public Map<String, List<String>> handlerTable() {
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (HandlerChain.Slot slot : chain.slots()) {
            for (String type : slot.types) {
                table.computeIfAbsent(type, t -> new ArrayList<>()).add(slot.name);
            }
        }
        table.replaceAll((k, v) -> List.copyOf(v));
        return table;
    }

    // ---------------------------------------------------------------- state

    /** @return an immutable snapshot of the figures */
    public RoutingStatistics statistics() {
        int active = registry == null ? 0 : registry.activeConnections();
        int users = registry == null ? 0 : registry.connectedUsers();
        DeliveryStatistics delivery = registry == null ? DeliveryStatistics.EMPTY : registry.deliveryStatistics();
        return recorder.snapshot(clock, active, users, quality == null ? 0 : quality.activeHandlers(), delivery);
    }

    /**
     * @return {@link HandlerStatus#INITIALIZING} within the startup grace period, then
     *         {@link HandlerStatus#READY}, or {@link HandlerStatus#ERROR} when no handler is registered
     */
    public HandlerStatus handlerStatus() {
        if (Duration.between(startedAt, clock.instant()).compareTo(gracePeriod) < 0) {
            return HandlerStatus.INITIALIZING;
        }
        return chain.size() == 0 ? HandlerStatus.ERROR : HandlerStatus.READY;
    }

    /** @return the time since the router was built */
    public Duration uptime() {
        return Duration.between(startedAt, clock.instant());
    }

    /** @return the startup grace period */
    public Duration startupGracePeriod() {
        return gracePeriod;
    }

    /** @return the connection pool, when configured */
    public Optional<ConnectionRegistry> connectionPool() {
        return Optional.ofNullable(registry);
    }

    /** @return the quality sub-dispatcher, when configured ({@code io.wsrouter.quality.QualityDispatcher}) */
    public Optional<SubDispatcher> qualityDispatcher() {
        return Optional.ofNullable(quality);
    }

    /** @return the host's agent service, when configured */
    public Optional<AgentService> agentService() {
        return Optional.ofNullable(agentService);
    }

    /** @return the limits applied to inbound frames */
    public MessageLimits limits() {
        return parser.limits();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Refuses further messages and events, then closes the quality sub-dispatcher and the connection
     * pool the router was built with. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (quality != null) {
            try {
                quality.close();
            } catch (RuntimeException e) {
                LOG.warn("quality sub-dispatcher failed to close", e);
            }
        }
        if (registry != null) {
            registry.close();
        }
    }

    // ---------------------------------------------------------------- the pipeline

    enum Outcome { HANDLED, UNHANDLED, FAILED }

    /** Steps 2-6 of the pipeline, for a parsed message from an admitted connection. */
    Outcome route(String userId, String connectionId, Message message) {
        Route ctx = new Route(this, userId, connectionId, message);
        String type = message.type();
        recorder.routed.increment();
        HandlerChain snapshot = chain;
        if (!recorder.countKnownType(type)) {
            recorder.countType(type, t -> MessageTypes.CANONICAL.contains(t) || snapshot.claims(t) || qualityTypes.contains(t));
        }

        if (qualityTypes.contains(type)) {
            recorder.quality.increment();
            boolean handled;
            try {
                handled = quality.dispatch(ctx, message);
            } catch (Throwable e) {
                rethrowIfFatal(e);
                recorder.handlerErrors.increment();
                rejectionLog.handlerFailed(clock.millis(), "quality sub-dispatcher", message, userId, e);
                ctx.replyError(ErrorCode.HANDLER_ERROR, "the quality handler failed");
                return Outcome.FAILED;
            }
            if (ctx.failed()) {
                return Outcome.FAILED;
            }
            return handled ? Outcome.HANDLED : fallback(ctx, message);
        }

        boolean disconnect = "disconnect".equals(type);
        if (disconnect || "connect".equals(type)) {
            recorder.connectionEvents.increment();
        }
        Outcome outcome = dispatch(snapshot, ctx, message);
        if (disconnect && connectionId != null && registry != null) {
            registry.unregister(userId, connectionId);
        }
        return outcome;
    }

    private Outcome dispatch(HandlerChain snapshot, Route ctx, Message message) {
        boolean failedHandler = false;
        for (HandlerChain.Slot slot : snapshot.candidates(message.type())) {
            try {
                if (slot.refines && !slot.handler.canHandle(message)) {
                    continue;
                }
                if (slot.handler.handle(ctx, message)) {
                    slot.counters.handled.increment();
                    return ctx.failed() ? Outcome.FAILED : Outcome.HANDLED;
                }
            } catch (Throwable e) {
                rethrowIfFatal(e);
                failedHandler = true;
                slot.counters.errors.increment();
                recorder.handlerErrors.increment();
                rejectionLog.handlerFailed(clock.millis(), "handler " + slot.name, message, ctx.userId(), e);
            }
        }
        if (ctx.failed()) {
            return Outcome.FAILED; // a handler already answered with an error, then declined
        }
        if (failedHandler) {
            ctx.replyError(ErrorCode.HANDLER_ERROR, "the handler for '" + message.type() + "' failed");
            return Outcome.FAILED;
        }
        return fallback(ctx, message);
    }

    /**
     * A handler's failure must not take the router down, so every throwable is caught except those
     * after which the JVM cannot be trusted: {@link OutOfMemoryError}, {@link InternalError} and
     * {@link UnknownError} ({@link VirtualMachineError}s other than {@link StackOverflowError}, which
     * only unwound the handler's own deep recursion). An interrupt is kept for the caller.
     */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome fallback(Route ctx, Message message) {
        recorder.unhandled.increment();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("received_type", message.rawType());
        data.put("status", "acknowledged");
        ctx.reply("ack", data);
        return Outcome.UNHANDLED;
    }

    private boolean admit(String userId, String connectionId) {
        Admission admission = registry.admit(userId, connectionId);
        switch (admission) {
            case REGISTERED:
                recorder.connectionEvents.increment();
                return true;
            case OWNED:
                return true;
            case FORBIDDEN:
                // No frame: the connection belongs to another user, who must never see this one's errors.
                recorder.reject(ErrorCode.FORBIDDEN);
                rejectionLog.rejected(clock.millis(), userId, connectionId, ErrorCode.FORBIDDEN,
                        "the connection belongs to another user");
                return false;
            case LIMIT_REACHED:
                recorder.reject(ErrorCode.CONNECTION_LIMIT);
                rejectionLog.rejected(clock.millis(), userId, connectionId, ErrorCode.CONNECTION_LIMIT,
                        "the user is at the connection limit");
                return false;
            default:
                recorder.reject(ErrorCode.ROUTER_CLOSED);
                return false;
        }
    }

    private void rejectFrame(String userId, String connectionId, String frame, MessageFormatException e) {
        ErrorCode code = e.errorCode();
        recorder.reject(code);
        rejectionLog.rejected(clock.millis(), userId, connectionId, code, e.getMessage());
        String reply = JsonRpcHandler.looksLikeJsonRpc(frame)
                ? JsonRpcHandler.errorForRejectedFrame(code, e.getMessage())
                : frames.error(code, e.getMessage(), null);
        if (connectionId != null) {
            sendToConnection(userId, connectionId, reply);
        } else {
            sendToUser(userId, reply);
        }
    }

    /** Routing time is measured on one message in {@value #TIMING_SAMPLE} (two clock reads cost ~7% of a route). */
    static final int TIMING_SAMPLE = 8;
    private static final long NOT_TIMED = Long.MIN_VALUE;

    private static long startTiming() {
        return (ThreadLocalRandom.current().nextInt() & (TIMING_SAMPLE - 1)) == 0 ? System.nanoTime() : NOT_TIMED;
    }

    private void stopTiming(long start) {
        if (start != NOT_TIMED) {
            recorder.timed(System.nanoTime() - start);
        }
    }

    /** @return the message's claimed {@code connection_id} when the user owns it, else null */
    private String ownedConnection(String userId, Message message) {
        return message.connectionId()
                .filter(id -> registry != null && registry.ownerOf(id).filter(userId::equals).isPresent())
                .orElse(null);
    }

    /** Takes {@code permits} tokens from the connection's bucket, or rejects with RATE_LIMITED. */
    private boolean acquire(String userId, String connectionId, int permits) {
        long now = clock.millis();
        if (floodGate.tryAcquire(connectionId, permits, now)) {
            return true;
        }
        recorder.reject(ErrorCode.RATE_LIMITED);
        rejectionLog.rejected(now, userId, connectionId, ErrorCode.RATE_LIMITED, "over the rate limit");
        registry.sendToConnection(userId, connectionId, frames.error(ErrorCode.RATE_LIMITED, floodGate.refusal(), null));
        return false;
    }

    // ---------------------------------------------------------------- internal access for built-ins

    private HandlerChain.Slot slot(MessageHandler handler) {
        return new HandlerChain.Slot(handler, recorder.countersFor(handler.name()));
    }

    Frames frames() {
        return frames;
    }

    StatisticsRecorder recorder() {
        return recorder;
    }

    MessageParser parser() {
        return parser;
    }

    /** Logs a failure a client can trigger (a handler, method or agent service failing on its message), rate-bounded. */
    void logFailure(String what, Message message, String userId, Throwable error) {
        rejectionLog.handlerFailed(clock.millis(), what, message, userId, error);
    }

    boolean sendToConnection(String userId, String connectionId, String frame) {
        return registry != null && !closed && registry.sendToConnection(userId, connectionId, frame);
    }

    int sendToUser(String userId, String frame) {
        return registry == null || closed ? 0 : registry.sendToUser(userId, frame);
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

        private Builder() {
        }

        /**
         * Turns on the inbound rate limit per connection (off by default). Needs a connection pool.
         *
         * @param value the limit, for example {@code RateLimit.perSecond(50, 100)}
         */
        public Builder rateLimit(RateLimit value) {
            this.rateLimit = Objects.requireNonNull(value, "rateLimit");
            return this;
        }

        /**
         * @param value how many rejected frames are logged per 10 s window (then only counted); default 20
         * @throws IllegalArgumentException when negative
         */
        public Builder rejectionLogLimit(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("rejectionLogLimit must be >= 0 but was " + value);
            }
            this.rejectionLogLimit = value;
            return this;
        }

        /** @param pool the connection pool ({@code io.wsrouter.events.ConnectionPool}); the router closes it */
        public Builder connectionPool(ConnectionRegistry pool) {
            this.registry = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /** @param dispatcher the quality sub-dispatcher ({@code io.wsrouter.quality.QualityDispatcher}) */
        public Builder quality(SubDispatcher dispatcher) {
            this.quality = Objects.requireNonNull(dispatcher, "dispatcher");
            return this;
        }

        /** @param service the host's agent runner */
        public Builder agentService(AgentService service) {
            this.agentService = Objects.requireNonNull(service, "service");
            return this;
        }

        /** @param handler a custom handler, added in call order */
        public Builder customHandler(MessageHandler handler) {
            customHandlers.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Registers a JSON-RPC 2.0 method.
         *
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

        /** @param value the inbound limits; default {@link MessageLimits#DEFAULT} */
        public Builder limits(MessageLimits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /**
         * @param value the most distinct keys in {@link RoutingStatistics#messageTypes()}; default 256
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxTypeKeys(int value) {
            MessageLimits.requirePositive("maxTypeKeys", value);
            this.maxTypeKeys = value;
            return this;
        }

        /**
         * @param value how long {@link #handlerStatus()} reports INITIALIZING; default 10 s
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

        /** @param value the clock for timestamps, the grace period and statistics; default UTC system clock */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** @param enabled whether to install the built-in handlers (default {@code true}) */
        public Builder builtinHandlers(boolean enabled) {
            this.builtins = enabled;
            return this;
        }

        /**
         * @return a new router
         * @throws IllegalStateException when a rate limit is set without a connection pool
         */
        public CanonicalMessageRouter build() {
            return new CanonicalMessageRouter(this);
        }
    }
}
