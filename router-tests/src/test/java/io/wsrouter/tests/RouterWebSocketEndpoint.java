package io.wsrouter.tests;

import io.wsrouter.core.CanonicalMessageRouter;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One WebSocket connection of {@link JettyRouterServer}: the three container callbacks a host gives
 * the router. Public only because Jetty calls listener methods through public method handles.
 */
public final class RouterWebSocketEndpoint implements Session.Listener.AutoDemanding {

    private final CanonicalMessageRouter router;
    private final JettyRouterServer.Sessions sessions;
    private final String userId;
    private final String connectionId;

    RouterWebSocketEndpoint(CanonicalMessageRouter router, JettyRouterServer.Sessions sessions, String userId,
                            String connectionId) {
        this.router = router;
        this.sessions = sessions;
        this.userId = userId;
        this.connectionId = connectionId;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        // Reachable by the transport before the router may send to it.
        sessions.opened(userId, connectionId, session);
        try {
            if (!router.registerConnection(userId, connectionId)) {
                sessions.closed(connectionId);
                session.close(StatusCode.POLICY_VIOLATION, "connection refused", Callback.NOOP);
            }
        } finally {
            sessions.registered();
        }
    }

    @Override
    public void onWebSocketText(String text) {
        router.routeMessage(userId, connectionId, text);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            router.unregisterConnection(connectionId);
            sessions.closed(connectionId);
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // The close callback follows; nothing to route.
    }
}
