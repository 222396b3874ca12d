package io.wsrouter.demo;

import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.AgentService;
import io.wsrouter.events.AgentEvents;
import io.wsrouter.quality.ContentType;
import io.wsrouter.quality.QualityDispatcher;
import io.wsrouter.quality.ValidationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic pretend agent: no network, no model. For every chat message or agent request it
 * emits, through {@link AgentEvents}, {@code agent_started}, three {@code agent_thinking} steps, {@code tool_executing} and
 * {@code tool_completed} for a pretend {@code text_stats} tool, and {@code agent_completed} with an
 * answer computed from the text, one event every {@code stepDelay} (about two seconds in all by
 * default). Before completing, it scores its answer with the quality dispatcher's gate and records
 * the result with its monitor (so the quality dashboard and alerts have real data), and sends the
 * score with the answer.
 *
 * <p>One scheduler thread runs every run's steps in time order, so the events of one run leave in
 * order; emitting never blocks (the connection pool queues). The handler that called
 * {@link #handleUserMessage} returns at once.
 */
final class DemoAgentService implements AgentService, AutoCloseable {

    static final String AGENT_NAME = "demo-agent";
    static final String TOOL_NAME = "text_stats";

    /** Steps waiting at most (about 1400 runs); past it a new run is refused (the user gets AGENT_UNAVAILABLE). */
    static final int MAX_PENDING_STEPS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DemoAgentService.class);

    private final Duration stepDelay;
    private final QualityDispatcher quality;
    private final ScheduledThreadPoolExecutor scheduler;

    DemoAgentService(Duration stepDelay, QualityDispatcher quality) {
        this.stepDelay = stepDelay;
        this.quality = quality;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "demo-agent");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @throws IllegalStateException when too many steps are waiting (a client flooding the agent)
     */
    @Override
    public void startAgent(AgentRequest request, AgentRun run) {
        if (scheduler.getQueue().size() > MAX_PENDING_STEPS) {
            throw new IllegalStateException("the demo agent is busy: more than " + MAX_PENDING_STEPS + " steps waiting");
        }
        AgentEvents events = AgentEvents.of(run, AGENT_NAME);
        List<Runnable> steps = steps(request, events);
        AtomicBoolean failed = new AtomicBoolean();
        long delayNanos = stepDelay.toNanos();
        for (int i = 0; i < steps.size(); i++) {
            Runnable step = steps.get(i);
            scheduler.schedule(() -> {
                if (failed.get()) {
                    return;
                }
                try {
                    step.run();
                } catch (RuntimeException e) {
                    // A scheduled task's exception would vanish silently: end the run visibly instead.
                    failed.set(true);
                    LOG.warn("demo agent run {} of user {} failed", run.runId(), run.userId(), e);
                    events.agentError("the demo agent failed: " + e.getMessage());
                }
            }, i * delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private List<Runnable> steps(AgentRequest request, AgentEvents events) {
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
        steps.add(() -> {
            String answer = answer(stats, request.userId());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("answer", answer);
            result.put("quality", scoreAndRecord(answer, request));
            events.agentCompleted(result, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        });
        return steps;
    }

    /** Scores the answer with the gate and records it with the monitor; returns the figures sent with it. */
    private Map<String, Object> scoreAndRecord(String answer, AgentRequest request) {
        ValidationResult verdict = quality.gate().validate(answer, ContentType.GENERAL);
        quality.monitoring().recordQualityEvent(AGENT_NAME, ContentType.GENERAL, verdict.metrics(),
                request.userId(), request.threadId(), request.runId());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("passed", verdict.passed());
        figures.put("overall_score", verdict.metrics().overallScore());
        figures.put("quality_level", verdict.metrics().qualityLevel().wireValue());
        return figures;
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

    /** The answer: true statements about the text only (the quality gate grades it like any other output). */
    static String answer(Map<String, Object> stats, String userId) {
        int words = (Integer) stats.get("words");
        if (words == 0) {
            return "You sent an empty message. Type a few words and I will count them.";
        }
        int characters = (Integer) stats.get("characters");
        String longest = (String) stats.get("longest_word");
        return String.format(Locale.ROOT,
                "Your message has %d token%s (%d characters); the longest one, \"%s\", is %d characters or %d%% of the text. "
                        + "I counted them with the %s tool because it splits on whitespace; however, punctuation is ignored. "
                        + "Next, change the message and run it again: every tab of %s gets the same 7 events, "
                        + "and a tab of another user gets none.",
                words, words == 1 ? "" : "s", characters, longest, longest.length(),
                Math.round(100.0 * longest.length() / characters), TOOL_NAME, userId);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
