package io.wsrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.Message;
import io.wsrouter.quality.QualityDispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoAgentServiceTest {

    /** Records what the agent emits; counts down on agent_completed. */
    static final class RecordingRun implements AgentRun {
        final List<String> types = new CopyOnWriteArrayList<>();
        final List<Object> data = new CopyOnWriteArrayList<>();
        final CountDownLatch completed = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);

        @Override
        public String userId() {
            return "alice";
        }

        @Override
        public String runId() {
            return "r-1";
        }

        @Override
        public Optional<String> threadId() {
            return Optional.empty();
        }

        @Override
        public boolean emit(String eventType, String agentName, Object payload) {
            assertThat(agentName).isEqualTo(DemoAgentService.AGENT_NAME);
            types.add(eventType);
            data.add(payload);
            if ("agent_completed".equals(eventType)) {
                completed.countDown();
            }
            if ("agent_error".equals(eventType)) {
                failed.countDown();
            }
            return true;
        }
    }

    private static AgentRequest request(String content) {
        return new AgentRequest("alice", "c-1", null, "r-1", content, Message.of("user_message", Map.of("content", content)));
    }

    @Test
    void aMessageProducesTheFiveEventKindsInOrderWithAnAnswerComputedFromTheText() throws Exception {
        QualityDispatcher quality = QualityDispatcher.builder().build();
        try (DemoAgentService agent = new DemoAgentService(Duration.ZERO, quality)) {
            RecordingRun run = new RecordingRun();
            agent.handleUserMessage(request("The quick brown fox"), run);
            assertThat(run.completed.await(20, TimeUnit.SECONDS)).isTrue();

            assertThat(run.types).containsExactly("agent_started", "agent_thinking", "agent_thinking",
                    "tool_executing", "tool_completed", "agent_thinking", "agent_completed");
            assertThat(((Map<?, ?>) run.data.get(4)).get("result"))
                    .isEqualTo(Map.of("words", 4, "characters", 19, "longest_word", "quick"));
            Map<?, ?> result = (Map<?, ?>) ((Map<?, ?>) run.data.get(6)).get("result");
            assertThat((String) result.get("answer")).isEqualTo("Your message has 4 tokens (19 characters); the longest one, \"quick\", is 5 characters or 26% of the text. "
                    + "I counted them with the text_stats tool because it splits on whitespace; however, punctuation is ignored. "
                    + "Next, change the message and run it again: every tab of alice gets the same 7 events, "
                    + "and a tab of another user gets none.");
            assertThat(List.<Object>copyOf(((Map<?, ?>) result.get("quality")).keySet())).containsExactly("passed", "overall_score", "quality_level");
        }
    }

    @Test
    void everyAnswerIsScoredAndRecordedWithTheQualityMonitor() throws Exception {
        QualityDispatcher quality = QualityDispatcher.builder().build();
        try (DemoAgentService agent = new DemoAgentService(Duration.ZERO, quality)) {
            RecordingRun first = new RecordingRun();
            RecordingRun second = new RecordingRun();
            agent.handleUserMessage(request("one two three"), first);
            agent.handleUserMessage(request("four five"), second);
            assertThat(first.completed.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(second.completed.await(20, TimeUnit.SECONDS)).isTrue();

            Map<?, ?> overall = (Map<?, ?>) quality.monitoring().dashboard().get("overall_stats");
            assertThat(((Number) overall.get("total_events")).longValue()).isEqualTo(2);
            assertThat(List.<Object>copyOf(((Map<?, ?>) quality.monitoring().dashboard().get("agent_profiles")).keySet()))
                    .containsExactly(DemoAgentService.AGENT_NAME);
        }
    }

    @Test
    void runsOfManyUsersEachKeepTheirOwnOrder() throws Exception {
        try (DemoAgentService agent = new DemoAgentService(Duration.ofMillis(1), QualityDispatcher.builder().build())) {
            List<RecordingRun> runs = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 20; i++) {
                RecordingRun run = new RecordingRun();
                runs.add(run);
                agent.handleUserMessage(request("message " + i), run);
            }
            for (RecordingRun run : runs) {
                assertThat(run.completed.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(run.types).containsExactly("agent_started", "agent_thinking", "agent_thinking",
                        "tool_executing", "tool_completed", "agent_thinking", "agent_completed");
            }
        }
    }

    @Test
    void aStepThatThrowsEndsTheRunWithAgentErrorInsteadOfSilence() throws Exception {
        QualityDispatcher brokenGate = QualityDispatcher.builder()
                .gate((content, type, context, strict) -> {
                    throw new IllegalStateException("gate down");
                })
                .build();
        try (DemoAgentService agent = new DemoAgentService(Duration.ZERO, brokenGate)) {
            RecordingRun run = new RecordingRun();
            agent.handleUserMessage(request("hello"), run);
            assertThat(run.failed.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(run.types).containsExactly("agent_started", "agent_thinking", "agent_thinking",
                    "tool_executing", "tool_completed", "agent_thinking", "agent_error");
            assertThat(((Map<?, ?>) run.data.get(6)).get("error")).isEqualTo("the demo agent failed: gate down");
        }
    }

    @Test
    void anEmptyMessageGetsAHelpfulAnswer() {
        assertThat(DemoAgentService.answer(DemoAgentService.textStats("   "), "alice"))
                .isEqualTo("You sent an empty message. Type a few words and I will count them.");
    }
}
