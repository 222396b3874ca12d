package io.wsrouter.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SPI: who owns which connection, and how frames reach them. Router-core defines it; the connection
 * pool of {@code router-events} ({@code io.wsrouter.events.ConnectionPool}) implements it, and the
 * router takes one through {@link CanonicalMessageRouter.Builder#connectionPool(ConnectionRegistry)}.
 *
 * <p><b>Contract.</b> A connection id belongs to the user who registered it until it is unregistered;
 * any operation naming a connection with another user is refused. Frames given to one connection
 * leave in the order given. Sending never blocks the caller on a slow socket.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use by many threads, without
 * a global lock on the send path.
 */
public interface ConnectionRegistry extends AutoCloseable {

    /**
     * Registers the connection to the user, or touches it (records activity) when the user already
     * owns it; refuses it when another user owns it or the user is at the limit.
     *
     * @return the outcome; never null
     */
    Admission admit(String userId, String connectionId);

    /**
     * Unregisters a connection the transport saw close. Frames already queued may still be handed
     * to the transport; no new frame is accepted.
     *
     * @return whether the connection was registered
     */
    boolean unregister(String connectionId);

    /**
     * Unregisters a connection on behalf of a user.
     *
     * @return {@code false} when the connection is unknown or belongs to another user (nothing changes)
     */
    boolean unregister(String userId, String connectionId);

    /** @return the user that owns the connection, if registered */
    Optional<String> ownerOf(String connectionId);

    /**
     * Queues one frame for one connection of the user.
     *
     * @return whether the frame was accepted (the connection exists, belongs to the user, and is open)
     */
    boolean sendToConnection(String userId, String connectionId, String frame);

    /**
     * Queues one frame for every connection of the user.
     *
     * @return the number of connections that accepted the frame
     */
    int sendToUser(String userId, String frame);

    /** @return a copy of the ids of the user's live connections, oldest first; empty when none */
    List<String> connectionsOf(String userId);

    /**
     * @return a snapshot copy: for each user with at least one live connection, how many it has
     * @throws UnsupportedOperationException when the registry cannot list its users (the default)
     */
    default Map<String, Integer> connectionCounts() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not list its users");
    }

    /** @return the number of registered connections */
    int activeConnections();

    /** @return the number of users with at least one connection */
    int connectedUsers();

    /**
     * Removes the connections idle for longer than the idle timeout now (the sweeper does the same
     * periodically).
     *
     * @return how many were removed
     */
    int expireIdle();

    /** @return a snapshot of the delivery figures */
    DeliveryStatistics deliveryStatistics();

    /** Adds a listener told of every connection the registry removes. */
    void addListener(ConnectionListener listener);

    /** Stops background work and refuses further registrations; idempotent. */
    @Override
    void close();
}
