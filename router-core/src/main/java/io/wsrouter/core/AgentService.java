package io.wsrouter.core;

/**
 * SPI implemented by the host: runs agents for users. The router calls it for {@code agent_request}
 * and {@code start_agent} (and their aliases), and for {@code user_message} and {@code chat} (the
 * golden path). Progress goes back through the {@link AgentRun}, which is bound to the requesting
 * user: its events can only reach that user's connections.
 *
 * <p>Implementations may finish asynchronously: the handler that called them returns as soon as the
 * method returns, and the run may keep emitting afterwards. They must be thread-safe.
 *
 * <pre>{@code
 * AgentService agents = (request, run) -> executor.submit(() -> {
 *     run.emit("agent_started", "supervisor", Map.of("status", "started"));
 *     ...
 *     run.emit("agent_completed", "supervisor", Map.of("status", "completed", "result", answer));
 * });
 * }</pre>
 */
@FunctionalInterface
public interface AgentService {

    /**
     * Starts an agent run for an explicit agent request ({@code agent_request}, {@code start_agent}).
     *
     * @param request what to run, for whom
     * @param run     the run's event channel, bound to the requesting user
     * @throws Exception when the run cannot be started; the user gets
     *                   {@link ErrorCode#AGENT_UNAVAILABLE}
     */
    void startAgent(AgentRequest request, AgentRun run) throws Exception;

    /**
     * Handles a chat message ({@code user_message}, {@code chat}); by default starts a run like
     * {@link #startAgent}.
     *
     * @param request the chat message, for whom; its text is {@link AgentRequest#content()}
     * @param run     the run's event channel, bound to the requesting user
     * @throws Exception when the run cannot be started; the user gets
     *                   {@link ErrorCode#AGENT_UNAVAILABLE}
     */
    default void handleUserMessage(AgentRequest request, AgentRun run) throws Exception {
        startAgent(request, run);
    }
}
