package io.wsrouter.demo;

import io.wsrouter.events.WebSocketManager;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The transport under the connection pool: connection id -> open Jetty session. Sends are
 * asynchronous: {@link Session#sendText} queues the frame in Jetty and returns, and the stage
 * completes from Jetty's write callback, so the pool learns about failed or slow sockets from the
 * transport itself (the pool never has two sends in flight for one connection).
 */
final class JettySessions implements WebSocketManager {

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    void opened(String connectionId, Session session) {
        sessions.put(connectionId, session);
    }

    void closed(String connectionId) {
        sessions.remove(connectionId);
    }

    int open() {
        return sessions.size();
    }

    /** Sends one text frame; never blocks the caller. */
    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        Objects.requireNonNull(frame, "frame");
        Session session = sessions.get(connectionId);
        if (session == null || !session.isOpen()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("no open WebSocket session for connection " + connectionId));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendText(frame, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        return sent;
    }

    /** Closes the connection's socket, if it is still open (the pool gave it up: idle, slow or failing). */
    void close(String connectionId, int statusCode, String reason) {
        Session session = sessions.remove(connectionId);
        if (session != null) {
            session.close(statusCode, reason, Callback.NOOP);
        }
    }

    /** Closes every open session (server shutdown). */
    void closeAll(int statusCode, String reason) {
        for (Session session : sessions.values()) {
            session.close(statusCode, reason, Callback.NOOP);
        }
    }
}
