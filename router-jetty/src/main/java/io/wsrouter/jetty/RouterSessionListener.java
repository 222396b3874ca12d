package io.wsrouter.jetty;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.ErrorCode;
import java.nio.ByteBuffer;
import java.time.Clock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket of a {@link JettyRouterEndpoint}: Jetty's callbacks turned into router calls.
 *
 * <p>Not API: the class is public only because Jetty invokes listener methods through public method
 * handles (a package-private listener fails the upgrade with {@code IllegalAccessException}); it
 * cannot be constructed outside this package. Jetty calls it from its own threads, one callback at a
 * time per socket.
 */
public final class RouterSessionListener implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(RouterSessionListener.class);
    static final String UNSUPPORTED_BINARY = "binary frames are not supported: send JSON text frames";

    private final CanonicalMessageRouter router;
    private final ConnectionRegistry pool;
    private final JettySessions sessions;
    private final SocketSettings settings;
    private final String userId;
    private final String connectionId;

    RouterSessionListener(CanonicalMessageRouter router, ConnectionRegistry pool, JettySessions sessions,
                          SocketSettings settings, String userId, String connectionId) {
        this.router = router;
        this.pool = pool;
        this.sessions = sessions;
        this.settings = settings;
        this.userId = userId;
        this.connectionId = connectionId;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        session.setIdleTimeout(settings.idleTimeout());
        session.setMaxTextMessageSize(settings.maxMessageBytes());
        session.setMaxBinaryMessageSize(settings.maxMessageBytes());
        // Reachable by the transport before the router may send to it.
        sessions.opened(connectionId, session);
        if (router.registerConnection(userId, connectionId)) {
            LOG.debug("user {} connected on {}", userId, connectionId);
            return;
        }
        sessions.closed(connectionId);
        refuse(session);
    }

    /**
     * The router says only "no"; the reason is read back from the router and the pool. The socket is
     * not registered, so the error frame goes straight to the session, and the close follows it.
     */
    private void refuse(Session session) {
        ErrorCode code;
        String message;
        int status = StatusCode.POLICY_VIOLATION;
        if (router.isClosed()) {
            code = ErrorCode.ROUTER_CLOSED;
            message = "the server is shutting down";
            status = StatusCode.SHUTDOWN;
        } else if (pool.ownerOf(connectionId).filter(owner -> !owner.equals(userId)).isPresent()) {
            code = ErrorCode.FORBIDDEN;
            message = "the connection belongs to another user";
        } else {
            code = ErrorCode.CONNECTION_LIMIT;
            message = "the user is at the connection limit";
        }
        LOG.debug("refused connection {} of user {}: {}", connectionId, userId, code);
        int closeStatus = status;
        String reason = code.name();
        Runnable close = () -> session.close(closeStatus, reason, Callback.NOOP);
        session.sendText(ErrorFrames.error(code, message, Clock.systemUTC()),
                Callback.from(close, failure -> close.run()));
    }

    @Override
    public void onWebSocketText(String text) {
        router.routeMessage(userId, connectionId, text);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        // Through the pool, so it keeps its place among the frames already queued for this socket.
        pool.sendToConnection(userId, connectionId,
                ErrorFrames.error(ErrorCode.UNSUPPORTED_FRAME, UNSUPPORTED_BINARY, Clock.systemUTC()));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            gone();
            LOG.debug("user {} disconnected from {} ({})", userId, connectionId, statusCode);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("WebSocket error on {} of user {}", connectionId, userId, cause);
        gone();
    }

    /** Unregister first (the pool takes no new frame), then forget the session. Idempotent. */
    private void gone() {
        router.unregisterConnection(connectionId);
        sessions.closed(connectionId);
    }
}
