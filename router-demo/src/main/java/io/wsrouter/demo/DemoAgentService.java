package io.wsrouter.demo;

import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.AgentService;
import io.wsrouter.events.AgentEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic pretend agent: no network, no model. For every chat message or agent request it
 * emits, through {@link AgentEvents}, {@code agent_started}, three {@code agent_thinking} steps, {@code tool_executing} and
 * {@code tool_completed} for a pretend {@code text_stats} tool, and {@code agent_completed} with an
 * answer computed from the text, one event every {@code stepDelay} (about two seconds in all by
 * default).
 *
 * <p>One scheduler thread runs every run's steps in time order, so the events of one run leave in
 * order; emitting never blocks (the connection pool queues). The handler that called
 * {@link #handleUserMessage} returns at once.
 */
final class DemoAgentService implements AgentService, AutoCloseable {

    static final String AGENT_NAME = "demo-agent";
    static final String TOOL_NAME = "text_stats";

    private final Duration stepDelay;
    private final ScheduledExecutorService scheduler;

    DemoAgentService(Duration stepDelay) {
        this.stepDelay = stepDelay;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-agent");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void startAgent(AgentRequest request, AgentRun run) {
        List<Runnable> steps = steps(request, run);
        long delayNanos = stepDelay.toNanos();
        for (int i = 0; i < steps.size(); i++) {
            scheduler.schedule(steps.get(i), i * delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private List<Runnable> steps(AgentRequest request, AgentRun run) {
        AgentEvents events = AgentEvents.of(run, AGENT_NAME);
        String text = request.content();
        long startedAt = System.nanoTime();
        Map<String, Object> stats = textStats(text);
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> events.agentStarted(Map.of("message", abbreviate(text, 120))));
        steps.add(() -> events.agentThinking("Reading the message of " + request.userId(), 1, 20));
        steps.add(() -> events.agentThinking("Counting words with the " + TOOL_NAME + " tool", 2, 40));
        steps.add(() -> events.toolExecuting(TOOL_NAME, Map.of("text", abbreviate(text, 120))));
        steps.add(() -> events.toolCompleted(TOOL_NAME, stats, stepDelay.toMillis()));
        steps.add(() -> events.agentThinking("Writing the answer", 3, 80));
        steps.add(() -> events.agentCompleted(Map.of("answer", answer(stats)),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt)));
        return steps;
    }

    /** The pretend tool: deterministic figures about the text. */
    static Map<String, Object> textStats(String text) {
        String[] words = text.isBlank() ? new String[0] : text.trim().split("\\s+");
        String longest = Arrays.stream(words)
                .map(w -> w.replaceAll("[^\\p{L}\\p{N}]", ""))
                .max(Comparator.comparingInt(String::length))
                .orElse("");
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("words", words.length);
        stats.put("characters", text.length());
        stats.put("longest_word", longest);
        return stats;
    }

    static String answer(Map<String, Object> stats) {
        int words = (Integer) stats.get("words");
        if (words == 0) {
            return "You sent an empty message. Type a few words and I will count them.";
        }
        return String.format(Locale.ROOT,
                "Your message has %d word%s and %d characters; the longest word is \"%s\". "
                        + "I am a deterministic demo agent: no model, no network. "
                        + "Give the router your own AgentService to run a real one.",
                words, words == 1 ? "" : "s", (Integer) stats.get("characters"), stats.get("longest_word"));
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
