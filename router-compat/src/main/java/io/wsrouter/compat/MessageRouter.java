package io.wsrouter.compat;

import io.wsrouter.core.WireJson;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.HandlerStatus;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The legacy {@code MessageRouter} ({@code websocket_core/handlers.py}) as a thin facade over one
 * {@link CanonicalMessageRouter}. It holds that router and nothing else: every method converts its
 * legacy arguments (dicts become {@code Map<String, Object>}, the {@code websocket} becomes the
 * connection id) and calls the canonical router's public API, so there is exactly one routing path.
 *
 * <p><b>Routing</b> is the canonical pipeline (DESIGN section 2): legacy aliases, the quality
 * sub-dispatcher when the router has one, then first match over custom handlers (in the order they
 * were added or inserted) followed by the built-ins, then an {@code ack} for what nobody handled.
 * The legacy bug that rewrote nearly every type to {@code agent_progress} is not reproduced: a
 * {@code ping} gets its {@code pong}.
 *
 * <p><b>Sharing.</b> Facades built over the same canonical router (this one,
 * {@link QualityMessageRouter}, {@link WebSocketEventRouter}) share its handlers, connections and
 * statistics. {@link #MessageRouter()} builds a private router without a connection pool, whose
 * replies go nowhere; to have replies delivered, build the canonical router with a pool and pass it
 * to {@link #MessageRouter(CanonicalMessageRouter)}.
 *
 * <p><b>Thread safety:</b> as the canonical router: every method may be called from many threads.
 *
 * <pre>{@code
 * ConnectionPool pool = ConnectionPool.builder(manager).build();
 * CanonicalMessageRouter canonical = CanonicalMessageRouter.builder().connectionPool(pool).build();
 * MessageRouter router = new MessageRouter(canonical);          // was: get_message_router()
 * router.addHandler(new AgentBridgeHandler(bridge));            // was: router.add_handler(...)
 * boolean ok = router.routeMessage(userId, sessionId, Map.of("type", "ping"));   // pong to sessionId
 * Map<String, Object> stats = router.getStats();                // messages_routed, handler_order, ...
 * }</pre>
 *
 * @deprecated call the {@link CanonicalMessageRouter} directly: each method names its replacement
 *             (the migration guide, docs/migration.md, has the full table).
 */
@Deprecated(since = "1.0", forRemoval = true)
public final class MessageRouter {

    private final CanonicalMessageRouter router;

    /**
     * The legacy no-argument constructor: a private canonical router with the defaults
     * ({@code CanonicalMessageRouter.builder().build()}): the built-in handlers, a 10 s startup grace
     * period, no connection pool, no quality sub-dispatcher and no agent service. Without a pool,
     * replies go nowhere; use {@link #MessageRouter(CanonicalMessageRouter)} with a router built over
     * a shared connection pool to have them delivered.
     *
     * @deprecated use {@code CanonicalMessageRouter.builder()...build()}
     */
    @Deprecated(since = "1.0", forRemoval = true)
    public MessageRouter() {
        this(CanonicalMessageRouter.builder().build());
    }

    /**
     * A facade over a canonical router that other facades and the host may share.
     *
     * @param canonical the router every call delegates to
     * @throws NullPointerException when canonical is null
     * @deprecated use the canonical router directly
     */
    @Deprecated(since = "1.0", forRemoval = true)
    public MessageRouter(CanonicalMessageRouter canonical) {
        this.router = Objects.requireNonNull(canonical, "canonical");
    }

    /**
     * {@return the canonical router this facade delegates to, for call sites that move to it (phase 3
     *          of the migration) and for building other facades over the same router}
     */
    public CanonicalMessageRouter canonical() {
        return router;
    }

    /**
     * Routes one legacy message dict read from a connection ({@code route_message(user_id, websocket,
     * raw_message)}). The map is turned into its JSON text and routed through the transport entry,
     * so it passes exactly the ingress a raw frame passes: a map that is not a valid message (no
     * {@code type}, a {@code payload} that is not an object, a value Jackson cannot serialize, ...) is
     * rejected like a bad frame: the connection gets an {@code error_message} with its
     * {@link ErrorCode}, the rejection is counted, and the result is {@code false}. A
     * {@code connection_id} inside the map is ignored in favour of {@code connectionId}.
     *
     * <p>Replacement: {@link CanonicalMessageRouter#routeMessage(String, String, String)} with the raw
     * text frame (or {@link CanonicalMessageRouter#routeMessage(String, String, Message)}).
     *
     * @param userId       the authenticated user of the connection
     * @param connectionId the connection the message came from (the legacy {@code websocket})
     * @param rawMessage   the message dict; null is rejected as {@link ErrorCode#INVALID_JSON}
     * @return {@code true} when handled or acknowledged; {@code false} when rejected or the handler failed
     * @throws NullPointerException when userId or connectionId is null
     */
    public boolean routeMessage(String userId, String connectionId, Map<String, Object> rawMessage) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        String frame;
        try {
            frame = rawMessage == null ? null : WireJson.write(rawMessage);
        } catch (IllegalArgumentException e) {
            frame = null;   // not JSON at all: the router rejects a null frame as INVALID_JSON and counts it
        }
        return router.routeMessage(userId, connectionId, frame);
    }

    /**
     * The QualityMessageRouter-compatible entry of the legacy MessageRouter
     * ({@code handle_message(user_id, message)}): routes a message that arrived without a connection.
     * Every type goes through the whole canonical pipeline (legacy only served the quality types and
     * logged a warning for the others). Replies go to the connection named by the message's
     * {@code connection_id} when the user owns it, else to every connection of the user. A map that
     * is not a valid message gets the user an {@code error_message} with its {@link ErrorCode} on every
     * connection, and nothing is routed.
     *
     * <p>Replacement: {@link CanonicalMessageRouter#routeMessage(String, Message)} with
     * {@link Message#fromMap(Map)}.
     *
     * @param userId  the user the message is from
     * @param message the message dict
     * @throws NullPointerException when an argument is null
     */
    public void handleMessage(String userId, Map<String, Object> message) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        String frame;
        try {
            frame = WireJson.write(message);
        } catch (IllegalArgumentException e) {
            frame = null; // rejected by the router as INVALID_JSON, and counted
        }
        router.routeConnectionlessFrame(userId, frame);
    }

    /**
     * Appends a custom handler ({@code add_handler}): it runs after the custom handlers added before
     * it (among equal {@link MessageHandler#priority()}) and before every built-in, so the first
     * registered custom handler wins. The legacy router raised {@code TypeError} for objects lacking
     * the handler protocol; in Java the type system rules those out, and a null handler is refused
     * with a {@link NullPointerException}.
     *
     * <p>Replacement: {@link CanonicalMessageRouter#addCustomHandler(MessageHandler)}.
     *
     * @param h the handler to append
     * @throws NullPointerException     when handler is null
     * @throws IllegalArgumentException when its {@code messageTypes()} returns null
     */
    public void addHandler(MessageHandler h) {
        router.addCustomHandler(Objects.requireNonNull(h, "handler"));
    }

    /**
     * Inserts a custom handler at an index among the custom handlers ({@code insert_handler(handler,
     * index)}): 0 is first; an index past the end appends (as the legacy fallback on
     * {@code IndexError}); a negative index inserts first (Python counted it from the end).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#insertCustomHandler(int, MessageHandler)}.
     *
     * @param h     the handler to insert
     * @param index the position among the custom handlers, 0-based; past the end appends, negative
     *              inserts first
     * @throws NullPointerException     when handler is null
     * @throws IllegalArgumentException when its {@code messageTypes()} returns null
     */
    public void insertHandler(MessageHandler h, int index) {
        router.insertCustomHandler(index, Objects.requireNonNull(h, "handler"));
    }

    /**
     * Removes a handler, the same instance: a custom one, else a built-in ({@code remove_handler}).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#removeCustomHandler(MessageHandler)} (custom
     * handlers only) or {@link CanonicalMessageRouter#removeBuiltinHandler(MessageHandler)}.
     *
     * @param h the handler instance to remove, custom or built-in
     * @return whether it was registered (the legacy method returned {@code None} and logged a warning)
     * @throws NullPointerException when handler is null
     */
    public boolean removeHandler(MessageHandler h) {
        Objects.requireNonNull(h, "handler");
        return router.removeCustomHandler(h) || router.removeBuiltinHandler(h);
    }

    /**
     * Handler names in priority order: custom handlers, then built-ins ({@code get_handler_order}).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#handlerOrder()}.
     *
     * @return an unmodifiable copy
     */
    public List<String> getHandlerOrder() {
        return router.handlerOrder();
    }

    /**
     * The routing statistics with the legacy keys ({@code get_stats}): {@code messages_routed},
     * {@code unhandled_messages}, {@code handler_errors}, {@code message_types} (canonical type
     * strings such as {@code "ping"}, where legacy wrote {@code "MessageType.PING"}),
     * {@code handler_stats} ({@code {name: {handled, errors}}}), {@code handler_order},
     * {@code handler_count} and {@code handler_status} (the map of
     * {@link #checkHandlerStatusWithGracePeriod()}), plus every other key of
     * {@link io.wsrouter.core.RoutingStatistics#toMap()} ({@code rejected_messages},
     * {@code rejections_by_code}, {@code routing_time}, {@code delivery}, ...).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#statistics()} (typed), its {@code toMap()},
     * {@link CanonicalMessageRouter#handlerOrder()} and {@link CanonicalMessageRouter#handlerStatus()}.
     *
     * @return a new mutable map
     */
    public Map<String, Object> getStats() {
        Map<String, Object> stats = router.statistics().toMap();
        List<String> order = router.handlerOrder();
        stats.put("handler_order", order);
        stats.put("handler_count", order.size());
        stats.put("handler_status", checkHandlerStatusWithGracePeriod());
        return stats;
    }

    /**
     * The handler health within and after the startup grace period
     * ({@code check_handler_status_with_grace_period}). The grace period changes only this status; it
     * never delays or drops a message. Keys:
     * <ul>
     *   <li>{@code status}: {@code "initializing"} within the grace period, then {@code "ready"}, or
     *       {@code "error"} when no handler is registered at all;</li>
     *   <li>{@code message}: a sentence for people;</li>
     *   <li>{@code handler_count}, {@code elapsed_seconds}, {@code grace_period_seconds},
     *       {@code grace_period_active};</li>
     *   <li>{@code handlers}: the names in chain order, when there is at least one.</li>
     * </ul>
     *
     * <p>Replacement: {@link CanonicalMessageRouter#handlerStatus()},
     * {@link CanonicalMessageRouter#uptime()} and {@link CanonicalMessageRouter#startupGracePeriod()}.
     *
     * @return a new mutable map
     */
    public Map<String, Object> checkHandlerStatusWithGracePeriod() {
        HandlerStatus status = router.handlerStatus();
        List<String> handlers = router.handlerOrder();
        Duration grace = router.startupGracePeriod();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        map.put("message", switch (status) {
            case INITIALIZING -> "Handler registration in progress (" + handlers.size() + " handlers so far)";
            case READY -> "Handler registration complete (" + handlers.size() + " handlers)";
            case ERROR -> "No handlers registered after " + seconds(grace) + "s grace period";
        });
        map.put("handler_count", handlers.size());
        map.put("elapsed_seconds", seconds(router.uptime()));
        map.put("grace_period_seconds", seconds(grace));
        map.put("grace_period_active", status == HandlerStatus.INITIALIZING);
        if (!handlers.isEmpty()) {
            map.put("handlers", handlers);
        }
        return map;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
