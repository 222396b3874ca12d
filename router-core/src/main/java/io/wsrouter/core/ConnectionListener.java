package io.wsrouter.core;

/**
 * Told when a {@link ConnectionRegistry} removes a connection, whatever the reason (unregistered by
 * the transport, idle expiry, failing or slow sends, the registry closing).
 *
 * <p>Called on the thread that removed the connection; must be fast, thread-safe and must not throw
 * (a listener's exception is logged and ignored).
 */
@FunctionalInterface
public interface ConnectionListener {

    /**
     * @param userId       the user the connection belonged to
     * @param connectionId the connection that is gone
     */
    void connectionClosed(String userId, String connectionId);
}
