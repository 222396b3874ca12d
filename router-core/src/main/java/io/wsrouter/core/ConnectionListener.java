package io.wsrouter.core;

/**
 * Told when a {@link ConnectionRegistry} removes a connection, with the reason (unregistered by the
 * transport, idle expiry, slow or failing sends, the registry closing).
 *
 * <p>Called on the thread that removed the connection; must be fast, thread-safe and must not throw
 * (a listener's exception is logged and ignored).
 *
 * <pre>{@code
 * pool.addListener((userId, connectionId, reason) -> {
 *     if (reason.abortive()) sockets.abort(connectionId); else sockets.close(connectionId);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionListener {

    /**
     * Called once a connection has been removed from the registry.
     *
     * @param userId       the user the connection belonged to
     * @param connectionId the connection that is gone
     * @param reason       why it was removed; never null
     */
    void connectionClosed(String userId, String connectionId, RemovalReason reason);
}
