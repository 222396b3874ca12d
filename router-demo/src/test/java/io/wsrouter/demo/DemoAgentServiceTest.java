package io.wsrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.Message;
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
            return true;
        }
    }

    private static AgentRequest request(String content) {
        return new AgentRequest("alice", "c-1", null, "r-1", content, Message.of("user_message", Map.of("content", content)));
    }

    @Test
    void aMessageProducesTheFiveEventKindsInOrderWithAnAnswerComputedFromTheText() throws Exception {
        try (DemoAgentService agent = new DemoAgentService(Duration.ZERO)) {
            RecordingRun run = new RecordingRun();
            agent.handleUserMessage(request("The quick brown fox"), run);
            assertThat(run.completed.await(20, TimeUnit.SECONDS)).isTrue();

            assertThat(run.types).containsExactly("agent_started", "agent_thinking", "agent_thinking",
                    "tool_executing", "tool_completed", "agent_thinking", "agent_completed");
            assertThat(((Map<?, ?>) run.data.get(4)).get("result"))
                    .isEqualTo(Map.of("words", 4, "characters", 19, "longest_word", "quick"));
            Map<?, ?> result = (Map<?, ?>) ((Map<?, ?>) run.data.get(6)).get("result");
            assertThat((String) result.get("answer")).startsWith("Your message has 4 words and 19 characters; the longest word is \"quick\".");
        }
    }

    @Test
    void runsOfManyUsersEachKeepTheirOwnOrder() throws Exception {
        try (DemoAgentService agent = new DemoAgentService(Duration.ofMillis(1))) {
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
    void anEmptyMessageGetsAHelpfulAnswer() {
        assertThat(DemoAgentService.answer(DemoAgentService.textStats("   ")))
                .isEqualTo("You sent an empty message. Type a few words and I will count them.");
    }
}
