package io.wsrouter.core;

import java.util.Optional;

/**
 * A handle on one agent run, bound to one user: everything emitted through it reaches that user's
 * connections and no one else's. Given to {@link AgentService} by the router; typed emitters such as
 * {@code io.wsrouter.events.AgentEvents} wrap it.
 *
 * <p>Frames carry {@code run_id} and {@code agent_name} at top level (the legacy frontend contract)
 * and the originating {@code message_id} as {@code correlation_id}:
 * <pre>{@code
 * {"type":"agent_thinking","data":{...},"timestamp":"...Z","correlation_id":"m-9","run_id":"r-1","agent_name":"supervisor"}
 * }</pre>
 *
 * <p><b>Thread safety:</b> safe from any thread, at any time; frames emitted from one thread reach
 * each connection in emit order.
 */
public interface AgentRun {

    /** {@return the user this run belongs to} */
    String userId();

    /** {@return the run id} */
    String runId();

    /** {@return the thread id, if any} */
    Optional<String> threadId();

    /**
     * Emits one event of this run to every connection of its user.
     *
     * @param eventType for example {@code "agent_thinking"}
     * @param agentName the agent's name, put at top level
     * @param data      the {@code data} object, serialized with Jackson; null means {@code {}}
     * @return whether at least one connection accepted it
     */
    boolean emit(String eventType, String agentName, Object data);
}
