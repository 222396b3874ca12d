package io.wsrouter.jakarta;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.ErrorCode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection between a Jakarta {@link Session} and the router: the container callbacks
 * the router needs, written once. {@link RouterServlet}'s endpoint and router-spring's handler call it;
 * a host with its own Jakarta endpoint can too.
 *
 * <ul>
 *   <li>{@link #open}: the session becomes reachable through {@link JakartaSessions}, then the
 *       connection is registered. A refused connection ({@code FORBIDDEN}: its id belongs to another
 *       user; {@code CONNECTION_LIMIT}: the user holds the most connections allowed) gets an
 *       {@code error_message} frame with that code, then a close with 1008 once the frame was
 *       written. A closed router closes it with 1001.</li>
 *   <li>{@link #text}: {@code routeMessage}.</li>
 *   <li>{@link #binary}: an {@code error_message} {@link ErrorCode#UNSUPPORTED_FRAME} through the
 *       pool (in order with the connection's other frames); the connection stays open.</li>
 *   <li>{@link #closed}: forget the session, then {@code unregisterConnection}.</li>
 * </ul>
 *
 * <p><b>Thread safety:</b> the container calls one connection's callbacks one at a time; different
 * connections run concurrently. Nothing here blocks on the network.
 *
 * <pre>{@code
 * RouterConnection connection = RouterConnection.open(router, sessions, userId, session);
 * session.addMessageHandler(String.class, connection::text);
 * }</pre>
 */
public final class RouterConnection {

    private static final Logger LOG = LoggerFactory.getLogger(RouterConnection.class);

    private final CanonicalMessageRouter router;
    private final JakartaSessions sessions;
    private final String userId;
    private final String connectionId;
    private final boolean registered;

    private RouterConnection(CanonicalMessageRouter router, JakartaSessions sessions, String userId,
                             String connectionId, boolean registered) {
        this.router = router;
        this.sessions = sessions;
        this.userId = userId;
        this.connectionId = connectionId;
        this.registered = registered;
    }

    /**
     * Registers a connection the container opened, under a new connection id, or refuses it (see the
     * class comment).
     *
     * @param router   the router to register with; it must have a connection pool for the connection
     *                 to be admitted
     * @param sessions the sessions the pool sends through, the same instance the pool was built with
     * @param userId   the authenticated user of the session
     * @param session  the container's newly opened session
     * @return the connection; {@link #registered()} says whether it was admitted
     * @throws NullPointerException when an argument is null
     */
    public static RouterConnection open(CanonicalMessageRouter router, JakartaSessions sessions, String userId, Session session) {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(session, "session");
        String connectionId = "ws-" + UUID.randomUUID();
        // Reachable first: the router may send to the connection as soon as it is registered.
        sessions.opened(connectionId, session);
        if (router.registerConnection(userId, connectionId)) {
            LOG.debug("user {} connected on {}", userId, connectionId);
            return new RouterConnection(router, sessions, userId, connectionId, true);
        }
        sessions.closed(connectionId);
        refuse(router, userId, connectionId, session);
        return new RouterConnection(router, sessions, userId, connectionId, false);
    }

    private static void refuse(CanonicalMessageRouter router, String userId, String connectionId, Session session) {
        if (router.isClosed() || router.connectionPool().isEmpty()) {
            JakartaSessions.close(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "server shutting down"));
            return;
        }
        Optional<String> owner = router.connectionPool().flatMap(pool -> pool.ownerOf(connectionId));
        ErrorCode code = owner.isPresent() && !owner.get().equals(userId) ? ErrorCode.FORBIDDEN : ErrorCode.CONNECTION_LIMIT;
        String message = code == ErrorCode.FORBIDDEN
                ? "the connection belongs to another user"
                : "the user holds the most connections allowed";
        LOG.info("refused connection {} of user {}: {}", connectionId, userId, code);
        CloseReason refused = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, code.name());
        // Not registered, so the pool never writes to this session: this send is the only one.
        session.getAsyncRemote().sendText(errorFrame(code, message), result -> JakartaSessions.close(session, refused));
    }

    /**
     * Routes one text frame.
     *
     * @param frame the whole text message the container delivered
     */
    public void text(String frame) {
        router.routeMessage(userId, connectionId, frame);
    }

    /**
     * A binary frame (or its last part, when {@code last}) arrived: answers {@code UNSUPPORTED_FRAME}
     * once per message, through the pool so that it keeps its place among the connection's frames.
     *
     * @param last whether this part ends the binary message
     */
    public void binary(boolean last) {
        if (!last) {
            return;
        }
        Optional<ConnectionRegistry> pool = router.connectionPool();
        if (pool.isPresent()) {
            pool.get().sendToConnection(userId, connectionId,
                    errorFrame(ErrorCode.UNSUPPORTED_FRAME, "binary frames are not supported: send JSON text frames"));
        }
    }

    /** The container closed the session: forget it, then unregister the connection. */
    public void closed() {
        sessions.closed(connectionId);
        if (registered) {
            router.unregisterConnection(connectionId);
            LOG.debug("user {} disconnected from {}", userId, connectionId);
        }
    }

    /** {@return whether the router admitted the connection at open} */
    public boolean registered() {
        return registered;
    }

    /** {@return the authenticated user} */
    public String userId() {
        return userId;
    }

    /** {@return the connection id the router knows this connection by} */
    public String connectionId() {
        return connectionId;
    }

    /** The router's error envelope; the messages are constants, so no JSON escaping is needed. */
    static String errorFrame(ErrorCode code, String message) {
        return "{\"type\":\"error_message\",\"data\":{\"error_code\":\"" + code.name() + "\",\"error_message\":\""
                + message + "\",\"details\":{}},\"timestamp\":\""
                + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}";
    }

    @Override
    public String toString() {
        return "RouterConnection[" + userId + ", " + connectionId + (registered ? "" : ", refused") + "]";
    }
}
