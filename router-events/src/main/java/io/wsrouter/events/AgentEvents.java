package io.wsrouter.events;

import io.wsrouter.core.AgentRun;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A typed emitter for the agent events of one run: {@code agent_started}, {@code agent_thinking},
 * {@code tool_executing}, {@code tool_completed}, {@code agent_completed} and {@code agent_error},
 * with the {@code data} fields of the legacy frontend contract. Wraps the {@link AgentRun} the router
 * hands to an {@link io.wsrouter.core.AgentService}, so every event reaches the connections of the
 * run's user and no one else's, with {@code run_id} and {@code agent_name} at top level:
 * <pre>{@code
 * {"type":"tool_executing","data":{"tool_name":"search","parameters":{"q":"x"},"status":"executing",
 *   "message":"supervisor is using search"},"timestamp":"...Z","correlation_id":"m-9","run_id":"r-1","agent_name":"supervisor"}
 * }</pre>
 *
 * <p>Optional values passed as {@code null} are sent as JSON {@code null} (the legacy emitter sent
 * every field), except {@code context} and {@code parameters}, which become {@code {}}. Values are
 * serialized with Jackson as given: do not pass secrets in tool parameters or results.
 *
 * <p><b>Thread safety:</b> immutable; safe from any thread. Events emitted from one thread reach each
 * connection in emit order. Each method returns whether at least one connection accepted the event
 * ({@code false} when the user has no open connection); none of them blocks on the network.
 *
 * <pre>{@code
 * AgentService agents = (request, run) -> executor.submit(() -> {
 *     AgentEvents events = AgentEvents.of(run, "supervisor");
 *     events.agentStarted(Map.of("thread_id", request.threadId().orElse("")));
 *     events.agentThinking("Looking at the question", 1, 10);
 *     events.toolExecuting("search", Map.of("query", "wsrouter"));
 *     events.toolCompleted("search", hits, 42L);
 *     events.agentCompleted(answer, 1250L);
 * });
 * }</pre>
 */
public final class AgentEvents {

    private final AgentRun run;
    private final String agentName;

    private AgentEvents(AgentRun run, String agentName) {
        this.run = run;
        this.agentName = agentName;
    }

    /**
     * Creates the event emitter of one agent in one run.
     *
     * @param run       the run handle the router gave the agent service
     * @param agentName the agent's name, sent as {@code agent_name} and used in the messages
     * @return an emitter for that run and agent
     * @throws NullPointerException when an argument is null
     */
    public static AgentEvents of(AgentRun run, String agentName) {
        return new AgentEvents(Objects.requireNonNull(run, "run"), Objects.requireNonNull(agentName, "agentName"));
    }

    /** {@return the run this emitter writes to} */
    public AgentRun run() {
        return run;
    }

    /** {@return the agent name sent with every event} */
    public String agentName() {
        return agentName;
    }

    /**
     * Emits {@code agent_started}: {@code {status:"started", context, message:"<agent> has started
     * processing your request"}}.
     *
     * @param context what the run starts from; null means {@code {}}
     * @return whether at least one connection accepted it
     */
    public boolean agentStarted(Map<String, ?> context) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", "started");
        data.put("context", context == null ? Map.of() : context);
        data.put("message", agentName + " has started processing your request");
        return run.emit("agent_started", agentName, data);
    }

    /**
     * Emits {@code agent_thinking}: {@code {reasoning, step_number, progress_percentage,
     * status:"thinking"}}.
     *
     * @param reasoning          what the agent is thinking about
     * @param stepNumber         the step, or null
     * @param progressPercentage 0-100, or null
     * @return whether at least one connection accepted it
     * @throws NullPointerException when reasoning is null
     */
    public boolean agentThinking(String reasoning, Integer stepNumber, Integer progressPercentage) {
        Objects.requireNonNull(reasoning, "reasoning");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reasoning", reasoning);
        data.put("step_number", stepNumber);
        data.put("progress_percentage", progressPercentage);
        data.put("status", "thinking");
        return run.emit("agent_thinking", agentName, data);
    }

    /**
     * Emits {@code tool_executing}: {@code {tool_name, parameters, status:"executing",
     * message:"<agent> is using <tool>"}}.
     *
     * @param toolName   the tool
     * @param parameters its parameters; null means {@code {}}
     * @return whether at least one connection accepted it
     * @throws NullPointerException when toolName is null
     */
    public boolean toolExecuting(String toolName, Map<String, ?> parameters) {
        Objects.requireNonNull(toolName, "toolName");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool_name", toolName);
        data.put("parameters", parameters == null ? Map.of() : parameters);
        data.put("status", "executing");
        data.put("message", agentName + " is using " + toolName);
        return run.emit("tool_executing", agentName, data);
    }

    /**
     * Emits {@code tool_completed}: {@code {tool_name, result, execution_time_ms, status:"completed",
     * message:"<agent> completed <tool>"}}.
     *
     * @param toolName        the tool
     * @param result          its result (any Jackson-serializable value), or null
     * @param executionTimeMs how long it ran, or null
     * @return whether at least one connection accepted it
     * @throws NullPointerException when toolName is null
     */
    public boolean toolCompleted(String toolName, Object result, Long executionTimeMs) {
        Objects.requireNonNull(toolName, "toolName");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool_name", toolName);
        data.put("result", result);
        data.put("execution_time_ms", executionTimeMs);
        data.put("status", "completed");
        data.put("message", agentName + " completed " + toolName);
        return run.emit("tool_completed", agentName, data);
    }

    /**
     * Emits {@code agent_completed}: {@code {status:"completed", result, execution_time_ms,
     * message:"<agent> has completed processing your request"}}.
     *
     * @param result          the run's result (any Jackson-serializable value), or null
     * @param executionTimeMs how long the run took, or null
     * @return whether at least one connection accepted it
     */
    public boolean agentCompleted(Object result, Long executionTimeMs) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", "completed");
        data.put("result", result);
        data.put("execution_time_ms", executionTimeMs);
        data.put("message", agentName + " has completed processing your request");
        return run.emit("agent_completed", agentName, data);
    }

    /**
     * Emits {@code agent_error}: {@code {status:"error", error, message:"<agent> encountered an
     * error"}}.
     *
     * @param errorMessage what went wrong, as the user may read it
     * @return whether at least one connection accepted it
     * @throws NullPointerException when errorMessage is null
     */
    public boolean agentError(String errorMessage) {
        Objects.requireNonNull(errorMessage, "errorMessage");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", "error");
        data.put("error", errorMessage);
        data.put("message", agentName + " encountered an error");
        return run.emit("agent_error", agentName, data);
    }

    @Override
    public String toString() {
        return "AgentEvents[" + agentName + ", " + run + "]";
    }
}
