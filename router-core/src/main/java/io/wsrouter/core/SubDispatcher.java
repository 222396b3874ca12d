package io.wsrouter.core;

import java.util.Optional;
import java.util.Set;

/**
 * SPI: a sub-dispatcher that takes over a family of message types before the handler chain (step 3
 * of the routing pipeline). {@code io.wsrouter.quality.QualityDispatcher} implements it; the router
 * takes one through {@link CanonicalMessageRouter.Builder#quality(SubDispatcher)}.
 *
 * <p>If the dispatcher claims a message's type, it handles the message and routing ends there.
 *
 * <p><b>Thread safety:</b> {@link #dispatch} is called from many threads at once.
 */
public interface SubDispatcher extends AutoCloseable {

    /** {@return the canonical types this dispatcher takes over; fixed for its lifetime} */
    Set<String> claimedTypes();

    /**
     * Handles one message of a claimed type.
     *
     * @param context the sender and the reply channel
     * @param message the message, of one of {@link #claimedTypes()}
     * @return whether it was handled; {@code false} makes the router acknowledge it as unhandled
     *         ({@code ack}), unless the dispatcher already replied with
     *         {@link RoutingContext#replyError(ErrorCode, String)}
     * @throws Exception counted as a handler error; the sender gets {@link ErrorCode#HANDLER_ERROR}
     */
    boolean dispatch(RoutingContext context, Message message) throws Exception;

    /**
     * Called once by the router that installs this dispatcher, before any message, so that it can
     * emit events outside of a routed message (alerts to subscribers) and reach the router's
     * {@link AgentService}. The dispatcher gets this narrow view, never the router itself.
     *
     * @param host what the installing router offers its sub-dispatcher
     * @throws IllegalStateException if the dispatcher is already attached to another router
     */
    default void attach(Host host) {
    }

    /**
     * What a router offers the sub-dispatcher it installs (see {@link SubDispatcher#attach(Host)}).
     * Thread-safe.
     *
     * <pre>{@code
     * public void attach(Host host) { this.host = host; }
     * void alert(String user, Map<String, Object> data) {
     *     if (host.isOpen() && host.emitToUser(user, "quality_alert", data) == 0) unsubscribe(user);
     * }
     * }</pre>
     */
    interface Host {

        /**
         * Emits one event to the user's stream, as {@code CanonicalMessageRouter.emitToUser} does.
         *
         * @param userId    the user whose connections get the event
         * @param eventType the {@code type} of the envelope, for example {@code "quality_alert"}
         * @param data      the {@code data} object, serialized with Jackson; null means {@code {}}
         * @return the number of connections that accepted it (0 when closed, without a pool, or none)
         * @throws IllegalArgumentException when data cannot be serialized
         */
        int emitToUser(String userId, String eventType, Object data);

        /** {@return whether the router is still open} */
        boolean isOpen();

        /** {@return whether the router has a connection pool (without one, nothing is ever delivered)} */
        boolean hasConnectionPool();

        /** {@return the router's agent service, when configured} */
        Optional<AgentService> agentService();
    }

    /** {@return the number of handlers this dispatcher runs, for statistics} */
    default int activeHandlers() {
        return claimedTypes().size();
    }

    /** Stops background work; called by {@link CanonicalMessageRouter#close()}. Idempotent. */
    @Override
    default void close() {
    }
}
