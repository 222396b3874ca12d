package io.wsrouter.demo;

import io.wsrouter.core.CanonicalMessageRouter;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: the three container callbacks the router needs, and nothing else.
 * Jetty calls them on its own threads; the router is thread-safe.
 *
 * <p>Not API: the class is public only because Jetty invokes listener methods through public method
 * handles (a package-private class fails the upgrade with {@code IllegalAccessException}); it cannot
 * be constructed outside this package.
 */
public final class RouterEndpoint implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(RouterEndpoint.class);

    private final CanonicalMessageRouter router;
    private final JettySessions sessions;
    private final String userId;
    private final String connectionId;

    RouterEndpoint(CanonicalMessageRouter router, JettySessions sessions, String userId, String connectionId) {
        this.router = router;
        this.sessions = sessions;
        this.userId = userId;
        this.connectionId = connectionId;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        // The session must be known to the transport before the router can send anything to it.
        sessions.opened(connectionId, session);
        if (!router.registerConnection(userId, connectionId)) {
            LOG.info("refused connection {} of user {}", connectionId, userId);
            sessions.closed(connectionId);
            session.close(StatusCode.POLICY_VIOLATION, "connection refused", Callback.NOOP);
            return;
        }
        LOG.info("user {} connected on {}", userId, connectionId);
    }

    @Override
    public void onWebSocketText(String message) {
        router.routeMessage(userId, connectionId, message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            // Forget the socket first, so the pool's removal listener does not try to close it again.
            sessions.closed(connectionId);
            router.unregisterConnection(connectionId);
            LOG.info("user {} disconnected from {} ({})", userId, connectionId, statusCode);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("WebSocket error on {} of user {}", connectionId, userId, cause);
    }
}
