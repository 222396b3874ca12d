package io.wsrouter.core;

import java.util.Optional;

/**
 * What a {@link MessageHandler} may do with the message it handles: reply to the connection it came
 * from, or emit to every connection of its user. One context per routed message, bound to that
 * message's user: it can never reach another user's connections.
 *
 * <p>Frames are sent in the wsrouter envelope
 * {@code {"type":...,"data":...,"timestamp":"...Z","correlation_id":<message_id>}}. Without a
 * connection pool configured, replies and emits go nowhere and return {@code false}.
 *
 * <p><b>Thread safety:</b> safe to use from any thread, also after the handler returned (for
 * asynchronous work), as long as the router is open.
 */
public interface RoutingContext {

    /** {@return the user the message came from; never null} */
    String userId();

    /** {@return the connection the message came from, if the transport named one} */
    Optional<String> connectionId();

    /**
     * Sends one frame to the connection the message came from (to every connection of the user when
     * the message arrived without one).
     *
     * @param type the outbound type, for example {@code "system_message"}
     * @param data the {@code data} object, serialized with Jackson; null means {@code {}}
     * @return whether at least one connection accepted the frame
     */
    boolean reply(String type, Object data);

    /**
     * Sends one frame to every connection of this context's user.
     *
     * @param type the outbound type, for example {@code "agent_thinking"}
     * @param data the {@code data} object, serialized with Jackson; null means {@code {}}
     * @return whether at least one connection accepted the frame
     */
    boolean emitToUser(String type, Object data);

    /**
     * Replies with an {@code error_message} frame carrying the code, and marks the route as failed:
     * {@code routeMessage} then returns {@code false} and the rejection is counted under the code.
     *
     * @param code    the stable error code
     * @param message a description for people; never the client's input
     * <p>The default (for contexts written outside the router, such as test fakes) only replies; the
     * router's own context also marks the route failed and counts the rejection.
     *
     * @return whether the error frame was accepted by a connection
     */
    default boolean replyError(ErrorCode code, String message) {
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("error_code", code.name());
        data.put("error_message", message);
        data.put("details", java.util.Map.of());
        return reply("error_message", data);
    }

    /**
     * {@return a run handle for this message, bound to this user: {@code run_id} and {@code thread_id}
     *          from the message (a random run id when absent); what it emits reaches only this user}
     * @throws UnsupportedOperationException from contexts written outside the router (the default)
     */
    default AgentRun agentRun() {
        throw new UnsupportedOperationException("this RoutingContext cannot start agent runs");
    }
}
