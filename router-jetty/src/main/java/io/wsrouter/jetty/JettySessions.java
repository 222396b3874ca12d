package io.wsrouter.jetty;

import io.wsrouter.events.WebSocketManager;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Connection id -> open Jetty session: the transport under the connection pool. A send hands the
 * frame to {@link Session#sendText} and returns; the stage completes from Jetty's write callback, so
 * the pool (which keeps one send in flight per connection) learns of a stalled or broken socket from
 * the socket itself, and no thread waits on the network.
 */
final class JettySessions implements WebSocketManager {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicBoolean bound = new AtomicBoolean();

    /** Claims this transport for one endpoint: two endpoints over one map would close each other's sockets. */
    void bind() {
        if (!bound.compareAndSet(false, true)) {
            throw new IllegalStateException("this transport already serves a JettyRouterEndpoint: "
                    + "create one transport per endpoint with JettyRouterEndpoint.newTransport()");
        }
    }

    void opened(String connectionId, Session session) {
        sessions.put(connectionId, session);
    }

    void closed(String connectionId) {
        sessions.remove(connectionId);
    }

    int open() {
        return sessions.size();
    }

    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        Objects.requireNonNull(frame, "frame");
        Session session = sessions.get(connectionId);
        if (session == null || !session.isOpen()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            session.sendText(frame, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    /** Starts a closing handshake; frames already handed to Jetty leave first. */
    void close(String connectionId, int statusCode, String reason) {
        Session session = sessions.get(connectionId);
        if (session != null) {
            session.close(statusCode, reason, Callback.NOOP);
        }
    }

    /**
     * Drops the TCP connection without a closing handshake: Jetty closes the session's EndPoint, which
     * fails the write the peer stopped reading (and with it the pool's stage) instead of queueing a
     * close frame behind it.
     */
    boolean abort(String connectionId) {
        Session session = sessions.remove(connectionId);
        if (session != null) {
            session.disconnect();
        }
        return session != null;
    }
}
