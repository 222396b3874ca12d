package io.wsrouter.jetty;

import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.RemovalReason;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * Ends the socket of a connection the pool removed, the same way in every wsrouter adapter: nothing
 * for {@code UNREGISTERED} (closing already, or a {@code disconnect} message whose acknowledgement is
 * still queued), 1001 for {@code IDLE} and {@code SHUTDOWN}, an abort for {@code SLOW} and
 * {@code FAILING}. Runs on the thread that removed the connection; every action returns at once.
 */
final class SocketCloser implements ConnectionListener {

    static final String IDLE_REASON = "idle timeout";
    static final String SHUTDOWN_REASON = "server shutting down";

    private final JettySessions sessions;

    SocketCloser(JettySessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void connectionClosed(String userId, String connectionId, RemovalReason reason) {
        if (reason.abortive()) {
            sessions.abort(connectionId);
            return;
        }
        switch (reason) {
            case IDLE -> sessions.close(connectionId, StatusCode.SHUTDOWN, IDLE_REASON);
            case SHUTDOWN -> sessions.close(connectionId, StatusCode.SHUTDOWN, SHUTDOWN_REASON);
            default -> {
                // UNREGISTERED: the transport is closing it, or its client asked to be forgotten.
            }
        }
    }
}
