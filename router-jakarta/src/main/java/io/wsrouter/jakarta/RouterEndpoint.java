package io.wsrouter.jakarta;

import io.wsrouter.core.CanonicalMessageRouter;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Jakarta endpoint of one connection, created per handshake for its authenticated user. */
final class RouterEndpoint extends Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(RouterEndpoint.class);

    private final CanonicalMessageRouter router;
    private final JakartaSessions sessions;
    private final String userId;
    private final Duration idleTimeout;
    private volatile RouterConnection connection;

    RouterEndpoint(CanonicalMessageRouter router, JakartaSessions sessions, String userId, Duration idleTimeout) {
        this.router = router;
        this.sessions = sessions;
        this.userId = userId;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // A text frame past the router's limit is refused by the container (1009) before it is buffered.
        session.setMaxTextMessageBufferSize(router.limits().maxFrameBytes());
        session.setMaxIdleTimeout(idleTimeout.toMillis());
        RouterConnection opened = RouterConnection.open(router, sessions, userId, session);
        connection = opened;
        if (!opened.registered()) {
            return;
        }
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) opened::text);
        // Partial: a binary message is answered without buffering it, whatever its size.
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> opened.binary(last));
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        RouterConnection opened = connection;
        if (opened != null) {
            opened.closed();
        }
    }

    @Override
    public void onError(Session session, Throwable cause) {
        LOG.debug("WebSocket error on session {} of user {}", session.getId(), userId, cause);
    }
}
