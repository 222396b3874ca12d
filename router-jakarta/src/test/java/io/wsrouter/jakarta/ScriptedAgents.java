package io.wsrouter.jakarta;

import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.AgentService;
import io.wsrouter.events.AgentEvents;
import java.util.List;
import java.util.Map;

/** A deterministic agent: the five agent events of one run, through {@link AgentEvents}, on the calling thread. */
final class ScriptedAgents implements AgentService {

    static final List<String> FIVE_EVENTS =
            List.of("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed");

    @Override
    public void startAgent(AgentRequest request, AgentRun run) {
        AgentEvents events = AgentEvents.of(run, "supervisor");
        events.agentStarted(Map.of("user_id", request.userId()));
        events.agentThinking("Counting the words", 1, 50);
        events.toolExecuting("word_count", Map.of("text", request.content()));
        int words = request.content().trim().split("\\s+").length;
        events.toolCompleted("word_count", Map.of("words", words), 1L);
        events.agentCompleted(Map.of("answer", words + " words"), 2L);
    }
}
