package io.wsrouter.compat;

import io.wsrouter.core.WireJson;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The legacy {@code WebSocketEventRouter} ({@code services/websocket_event_router.py}) as a thin
 * facade over one {@link CanonicalMessageRouter}. It holds that router and nothing else: connections
 * live in the router's connection pool ({@link CanonicalMessageRouter#connectionPool()}), which owns
 * registration, ownership, idle expiry and delivery; this class only converts legacy arguments (an
 * event dict becomes its JSON text) and delegates.
 *
 * <p><b>Isolation.</b> A connection id belongs to the user who registered it. {@link #routeEvent}
 * sends nothing to a connection the user does not own, a second user registering the same id is
 * refused, and a connection id registered twice by its user is kept once.
 *
 * <p><b>Events are sent as they are</b>, one JSON text per event with no envelope added, as the legacy
 * router did. (Messages the canonical router sends itself, and
 * {@link CanonicalMessageRouter#emitToUser}, use the wire envelope {@code {type, data, timestamp}}.)
 *
 * <p><b>Without a pool.</b> Over a canonical router built without a connection pool,
 * {@code registerConnection} and {@code routeEvent} return {@code false}, {@code broadcastToUser} and
 * {@code cleanupStaleConnections} 0, {@code getUserConnections} an empty list.
 *
 * <p><b>Thread safety:</b> every method may be called from many threads (the pool takes no global lock).
 *
 * <pre>{@code
 * WebSocketEventRouter events = new WebSocketEventRouter(manager);   // was: get_websocket_router(manager)
 * events.registerConnection("alice", "conn-1", "thread-7");
 * events.routeEvent("alice", "conn-1", Map.of("type", "agent_thinking", "run_id", "r-1"));   // true
 * events.routeEvent("bob", "conn-1", Map.of("type", "agent_thinking"));                      // false
 * int reached = events.broadcastToUser("alice", Map.of("type", "agent_completed"));
 * events.canonical().close();                                         // stops the pool's sweeper
 * }</pre>
 *
 * @deprecated use {@link CanonicalMessageRouter} with a {@link ConnectionPool}: each method names its
 *             replacement (the migration guide, docs/migration.md, has the full table).
 */
@Deprecated(since = "1.0", forRemoval = true)
public final class WebSocketEventRouter {

    private final CanonicalMessageRouter router;

    /**
     * The legacy constructor: a private canonical router over a new {@link ConnectionPool} with the
     * default settings (300 s idle timeout, as the legacy activity window) writing through the
     * manager. The pool runs a daemon sweeper thread until the router is closed
     * ({@code canonical().close()}).
     *
     * @param manager the host's transport
     * @throws NullPointerException when manager is null (legacy accepted {@code None} and then sent
     *                              nothing; a router that cannot send has no use)
     * @deprecated use {@code CanonicalMessageRouter.builder().connectionPool(ConnectionPool.builder(manager).build()).build()}
     */
    @Deprecated(since = "1.0", forRemoval = true)
    public WebSocketEventRouter(WebSocketManager manager) {
        this(CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(Objects.requireNonNull(manager, "manager")).build())
                .build());
    }

    /**
     * A facade over a canonical router that other facades and the host may share: they see the same
     * connections.
     *
     * @param canonical the router every call delegates to; it should have a connection pool
     * @throws NullPointerException when canonical is null
     * @deprecated use the canonical router directly
     */
    @Deprecated(since = "1.0", forRemoval = true)
    public WebSocketEventRouter(CanonicalMessageRouter canonical) {
        this.router = Objects.requireNonNull(canonical, "canonical");
    }

    /**
     * {@return the canonical router this facade delegates to, for call sites that move to it and for
     *          building other facades over the same router}
     */
    public CanonicalMessageRouter canonical() {
        return router;
    }

    /**
     * Registers a connection to a user ({@code register_connection}). Registering a connection the
     * user already owns changes nothing and returns {@code true} (legacy kept a duplicate entry).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#registerConnection(String, String)}.
     *
     * @param userId       the authenticated user the connection belongs to
     * @param connectionId the transport's id of the connection
     * @param threadId accepted for source compatibility and not used: the pool delivers by
     *                 connection id, and messages carry their own {@code thread_id}
     * @return {@code true} when the user now owns the connection; {@code false} when another user owns
     *         it, the user is at the connection limit, there is no pool, or the router is closed
     * @throws NullPointerException when userId or connectionId is null
     */
    public boolean registerConnection(String userId, String connectionId, String threadId) {
        return router.registerConnection(userId, connectionId);
    }

    /**
     * Unregisters a connection the transport saw close ({@code unregister_connection}). This is a
     * transport call, trusted like the legacy one; a <em>client</em> can only disconnect its own
     * connection (a {@code disconnect} message from another user's connection id is refused).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#unregisterConnection(String)}.
     *
     * @param connectionId the transport's id of the connection
     * @return whether it was registered
     * @throws NullPointerException when connectionId is null
     */
    public boolean unregisterConnection(String connectionId) {
        return router.unregisterConnection(connectionId);
    }

    /**
     * Sends one event, unchanged, to one connection of a user ({@code route_event}), refused unless
     * the user owns the connection: a mismatch sends nothing and returns {@code false} (legacy logged
     * "cross-user event leakage prevented"). Sending does not count as activity of the connection: the
     * idle timeout measures what the client sends.
     *
     * <p>Replacement: {@link CanonicalMessageRouter#emitToUser(String, String, Object)} for enveloped
     * events to every connection of the user, or
     * {@code canonical.connectionPool().get().sendToConnection(userId, connectionId, frame)} for a
     * raw frame to one connection.
     *
     * @param userId       the user, who must own the connection
     * @param connectionId the connection to send to
     * @param event        the whole frame, serialized with Jackson as it is (no envelope added)
     * @return whether the connection (owned by the user and open) accepted the event
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when the event cannot be serialized to JSON
     */
    public boolean routeEvent(String userId, String connectionId, Map<String, Object> event) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(event, "event");
        String frame = WireJson.write(event);
        return router.connectionPool()
                .map(pool -> pool.sendToConnection(userId, connectionId, frame))
                .orElse(false);
    }

    /**
     * Sends one event, unchanged, to every connection of a user ({@code broadcast_to_user}).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#emitToUserCount(String, String, Object)} (in the
     * wire envelope).
     *
     * @param userId the user whose connections get the event
     * @param event  the whole frame, serialized with Jackson as it is (no envelope added)
     * @return the number of connections that accepted it (legacy's broadcast service reported at least
     *         1 even when none did); 0 when the user has none
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when the event cannot be serialized to JSON
     */
    public int broadcastToUser(String userId, Map<String, Object> event) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(event, "event");
        String frame = WireJson.write(event);
        return router.connectionPool().map(pool -> pool.sendToUser(userId, frame)).orElse(0);
    }

    /**
     * The user's connections ({@code get_user_connections}), active ones only: connections idle past
     * the pool's idle timeout are removed by its sweeper (and by {@link #cleanupStaleConnections()}),
     * unregistered ones are gone.
     *
     * <p>Replacement: {@code canonical.connectionPool().get().connectionsOf(userId)}.
     *
     * @param userId the user
     * @return a copy of the ids, oldest first; empty when none
     * @throws NullPointerException when userId is null
     */
    public List<String> getUserConnections(String userId) {
        Objects.requireNonNull(userId, "userId");
        return router.connectionPool().map(pool -> pool.connectionsOf(userId)).orElse(List.of());
    }

    /**
     * Removes the connections idle for longer than the pool's idle timeout, now
     * ({@code cleanup_stale_connections}); the pool's sweeper also does it periodically. Idleness is
     * measured in full elapsed time (legacy compared {@code timedelta.seconds}, which wraps every day).
     *
     * <p>Replacement: {@code canonical.connectionPool().get().expireIdle()}.
     *
     * @return how many connections were removed
     */
    public int cleanupStaleConnections() {
        return router.connectionPool().map(ConnectionRegistry::expireIdle).orElse(0);
    }

    /**
     * The pool figures with the legacy keys ({@code get_stats}): {@code total_users} (users with at
     * least one connection), {@code total_connections} and {@code active_connections} (registered
     * connections; both the same number, since idle ones are removed rather than kept as inactive)
     * and {@code connections_per_user} ({@code {user_id: n}}, from
     * {@link ConnectionRegistry#connectionCounts()}).
     *
     * <p>Replacement: {@link CanonicalMessageRouter#statistics()}
     * ({@code connectedUsers()}, {@code activeConnections()}, {@code delivery()}).
     *
     * @return a new mutable map
     */
    public Map<String, Object> getStats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        int connections = router.connectionPool().map(ConnectionRegistry::activeConnections).orElse(0);
        stats.put("total_users", router.connectionPool().map(ConnectionRegistry::connectedUsers).orElse(0));
        stats.put("total_connections", connections);
        stats.put("active_connections", connections);
        stats.put("connections_per_user", router.connectionPool().map(ConnectionRegistry::connectionCounts).orElse(Map.of()));
        return stats;
    }
}
