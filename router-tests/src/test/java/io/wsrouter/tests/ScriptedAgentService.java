package io.wsrouter.tests;

import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.AgentService;
import io.wsrouter.events.AgentEvents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic agent: for every request it emits, through {@link AgentEvents} on the run the
 * router handed it, {@code agent_started}, {@code agent_thinking}, {@code tool_executing} (the
 * {@value #TOOL} tool on the request's content), {@code tool_completed} (the word count) and
 * {@code agent_completed} (an answer built from the tool's result), on the calling thread.
 */
final class ScriptedAgentService implements AgentService {

    static final String AGENT = "supervisor";
    static final String TOOL = "word_count";
    /** The five critical agent events, in the order a run emits them. */
    static final List<String> FIVE_EVENTS =
            List.of("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed");

    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();

    @Override
    public void startAgent(AgentRequest request, AgentRun run) {
        runs.incrementAndGet();
        AgentEvents events = AgentEvents.of(run, AGENT);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("user_id", request.userId());
        context.put("thread_id", request.thread().orElse(""));
        events.agentStarted(context);
        events.agentThinking("Counting the words of the request", 1, 50);
        events.toolExecuting(TOOL, Map.of("text", request.content()));
        int words = wordCount(request.content());
        events.toolCompleted(TOOL, Map.of("words", words), 1L);
        events.agentCompleted(Map.of("answer", "Your message has " + words + " words", "words", words), 2L);
        completed.incrementAndGet();
    }

    /** @return how many runs were started */
    int runs() {
        return runs.get();
    }

    /** @return how many runs emitted their last event */
    int completedRuns() {
        return completed.get();
    }

    static int wordCount(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
