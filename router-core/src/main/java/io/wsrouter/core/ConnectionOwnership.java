package io.wsrouter.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SPI, the ownership half of a connection pool: which user owns which connection, admission,
 * removal and the listeners told of removals. The other half is {@link FrameDelivery};
 * {@link ConnectionRegistry} is both, and {@code io.wsrouter.events.ConnectionPool} implements it.
 *
 * <p><b>Contract.</b> A connection id belongs to the user who registered it until it is
 * unregistered; any operation naming a connection with another user is refused.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use by many threads.
 *
 * <pre>{@code
 * Admission a = ownership.admit("alice", "conn-1");   // REGISTERED, then OWNED on later calls
 * ownership.ownerOf("conn-1");                          // Optional[alice]
 * ownership.unregister("conn-1");
 * }</pre>
 */
public interface ConnectionOwnership extends AutoCloseable {

    /**
     * Registers the connection to the user, or touches it (records activity) when the user already
     * owns it; refuses it when another user owns it or the user is at the limit.
     *
     * @param userId       the authenticated user
     * @param connectionId the transport's id of the connection
     * @return the outcome; never null
     */
    Admission admit(String userId, String connectionId);

    /**
     * Unregisters a connection the transport saw close. Frames already queued may still be handed
     * to the transport; no new frame is accepted.
     *
     * @param connectionId the connection, whoever owns it
     * @return whether the connection was registered
     */
    boolean unregister(String connectionId);

    /**
     * Unregisters a connection on behalf of a user.
     *
     * @param userId       the user who must own the connection
     * @param connectionId the connection
     * @return {@code false} when the connection is unknown or belongs to another user (nothing changes)
     */
    boolean unregister(String userId, String connectionId);

    /**
     * Looks up the user a connection belongs to.
     *
     * @param connectionId the connection
     * @return the user that owns the connection, if registered
     */
    Optional<String> ownerOf(String connectionId);

    /**
     * Lists the live connections of one user.
     *
     * @param userId the user
     * @return a copy of the ids of the user's live connections, oldest first; empty when none
     */
    List<String> connectionsOf(String userId);

    /**
     * {@return a snapshot copy: for each user with at least one live connection, how many it has}
     * @throws UnsupportedOperationException when the registry cannot list its users (the default)
     */
    default Map<String, Integer> connectionCounts() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not list its users");
    }

    /** {@return the number of registered connections} */
    int activeConnections();

    /** {@return the number of users with at least one connection} */
    int connectedUsers();

    /**
     * Removes the connections idle for longer than the idle timeout now (the sweeper does the same
     * periodically).
     *
     * @return how many were removed
     */
    int expireIdle();

    /**
     * Adds a listener told of every connection the registry removes, with the reason.
     *
     * @param listener the listener; called on the thread that removes the connection
     */
    void addListener(ConnectionListener listener);

    /** Stops background work and refuses further registrations; idempotent. */
    @Override
    void close();
}
