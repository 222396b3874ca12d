package io.wsrouter.jetty;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each handshake before the upgrade: Origin first (403), then the user (401; 500 when the
 * resolver fails); only then is a socket opened, with a fresh random connection id.
 */
final class RouterCreator implements WebSocketCreator {

    private static final Logger LOG = LoggerFactory.getLogger(RouterCreator.class);

    private final CanonicalMessageRouter router;
    private final ConnectionRegistry pool;
    private final JettySessions sessions;
    private final JettyRouterEndpoint.UserResolver users;
    private final OriginPolicy origins;
    private final SocketSettings settings;

    RouterCreator(CanonicalMessageRouter router, ConnectionRegistry pool, JettySessions sessions,
                  JettyRouterEndpoint.UserResolver users, OriginPolicy origins, SocketSettings settings) {
        this.router = router;
        this.pool = pool;
        this.sessions = sessions;
        this.users = users;
        this.origins = origins;
        this.settings = settings;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!origins.allows(request)) {
            LOG.debug("refused a WebSocket handshake from origin {}", request.getHeaders().get("Origin"));
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
            return null;
        }
        Optional<String> user;
        try {
            user = users.resolve(request);
        } catch (RuntimeException e) {
            LOG.warn("the user resolver failed; the WebSocket handshake is refused", e);
            Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "authentication failed");
            return null;
        }
        if (user == null || user.isEmpty() || user.get().isBlank()) {
            Response.writeError(request, response, callback, HttpStatus.UNAUTHORIZED_401, "not authenticated");
            return null;
        }
        return new RouterSessionListener(router, pool, sessions, settings, user.get(), UUID.randomUUID().toString());
    }
}
