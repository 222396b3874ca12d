package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.CanonicalMessageRouter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentEventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Records what a typed emitter hands to its run. */
    private static final class RecordingRun implements AgentRun {
        final List<String> types = new ArrayList<>();
        final List<String> agents = new ArrayList<>();
        final List<Map<String, Object>> data = new ArrayList<>();
        boolean answer = true;

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
        @SuppressWarnings("unchecked")
        public boolean emit(String eventType, String agentName, Object payload) {
            types.add(eventType);
            agents.add(agentName);
            data.add((Map<String, Object>) payload);
            return answer;
        }
    }

    private final RecordingRun run = new RecordingRun();
    private final AgentEvents events = AgentEvents.of(run, "supervisor");

    @Test
    void agentStartedCarriesStatusContextAndMessage() {
        assertThat(events.agentStarted(Map.of("thread", "t-1"))).isTrue();
        assertThat(run.types).containsExactly("agent_started");
        assertThat(run.agents).containsExactly("supervisor");
        assertThat(run.data.get(0)).containsExactly(
                Map.entry("status", "started"),
                Map.entry("context", Map.of("thread", "t-1")),
                Map.entry("message", "supervisor has started processing your request"));
    }

    @Test
    void agentStartedWithoutContextSendsAnEmptyOne() {
        events.agentStarted(null);
        assertThat(run.data.get(0)).containsEntry("context", Map.of());
    }

    @Test
    void agentThinkingCarriesReasoningStepAndProgress() {
        events.agentThinking("Reading the question", 2, 40);
        assertThat(run.types).containsExactly("agent_thinking");
        assertThat(run.data.get(0)).containsExactly(
                Map.entry("reasoning", "Reading the question"),
                Map.entry("step_number", 2),
                Map.entry("progress_percentage", 40),
                Map.entry("status", "thinking"));
    }

    @Test
    void agentThinkingSendsMissingNumbersAsNull() {
        events.agentThinking("x", null, null);
        assertThat(run.data.get(0)).containsEntry("step_number", null).containsEntry("progress_percentage", null);
    }

    @Test
    void toolExecutingNamesTheAgentAndTheTool() {
        events.toolExecuting("search", Map.of("q", "wsrouter"));
        assertThat(run.types).containsExactly("tool_executing");
        assertThat(run.data.get(0)).containsExactly(
                Map.entry("tool_name", "search"),
                Map.entry("parameters", Map.of("q", "wsrouter")),
                Map.entry("status", "executing"),
                Map.entry("message", "supervisor is using search"));
    }

    @Test
    void toolCompletedCarriesResultAndTime() {
        events.toolCompleted("search", List.of("hit"), 42L);
        assertThat(run.types).containsExactly("tool_completed");
        assertThat(run.data.get(0)).containsExactly(
                Map.entry("tool_name", "search"),
                Map.entry("result", List.of("hit")),
                Map.entry("execution_time_ms", 42L),
                Map.entry("status", "completed"),
                Map.entry("message", "supervisor completed search"));
    }

    @Test
    void agentCompletedCarriesResultAndTime() {
        events.agentCompleted("the answer", 1250L);
        assertThat(run.types).containsExactly("agent_completed");
        assertThat(run.data.get(0)).containsExactly(
                Map.entry("status", "completed"),
                Map.entry("result", "the answer"),
                Map.entry("execution_time_ms", 1250L),
                Map.entry("message", "supervisor has completed processing your request"));
    }

    @Test
    void agentErrorCarriesStatusAndTheError() {
        events.agentError("model unavailable");
        assertThat(run.types).containsExactly("agent_error");
        assertThat(run.data.get(0)).containsEntry("status", "error").containsEntry("error", "model unavailable");
    }

    @Test
    void theAnswerOfTheRunIsReturned() {
        run.answer = false;
        assertThat(events.agentCompleted(null, null)).isFalse();
    }

    @Test
    void nullsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> AgentEvents.of(null, "a")).isInstanceOf(NullPointerException.class).hasMessage("run");
        assertThatThrownBy(() -> AgentEvents.of(run, null)).isInstanceOf(NullPointerException.class).hasMessage("agentName");
        assertThatThrownBy(() -> events.toolExecuting(null, Map.of())).isInstanceOf(NullPointerException.class).hasMessage("toolName");
        assertThatThrownBy(() -> events.agentError(null)).isInstanceOf(NullPointerException.class).hasMessage("errorMessage");
    }

    @Test
    void aRunsEventsReachEveryConnectionOfItsUserWithRunIdAndAgentNameAtTopLevel() throws Exception {
        RecordingManager manager = new RecordingManager();
        ConnectionPool pool = ConnectionPool.builder(manager).build();
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(pool)
                .agentService((request, agentRun) -> {
                    AgentEvents e = AgentEvents.of(agentRun, "supervisor");
                    e.agentStarted(Map.of());
                    e.agentThinking("thinking", 1, 10);
                    e.toolExecuting("search", Map.of("q", request.content()));
                    e.toolCompleted("search", Map.of("hits", 3), 5L);
                    e.agentCompleted("done", 20L);
                    e.agentError("late failure");
                })
                .build()) {
            router.registerConnection("alice", "a1");
            router.registerConnection("alice", "a2");
            router.registerConnection("bob", "b1");

            assertThat(router.routeMessage("alice", "a1",
                    "{\"type\":\"agent_request\",\"payload\":{\"content\":\"find it\"},\"run_id\":\"r-7\",\"message_id\":\"m-3\"}"))
                    .isTrue();

            for (String connection : List.of("a1", "a2")) {
                List<JsonNode> frames = new ArrayList<>();
                for (String f : manager.framesOf(connection)) {
                    frames.add(MAPPER.readTree(f));
                }
                assertThat(frames).extracting(f -> f.get("type").asText()).containsExactly(
                        "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed", "agent_error");
                for (JsonNode f : frames) {
                    assertThat(f.get("run_id").asText()).isEqualTo("r-7");
                    assertThat(f.get("agent_name").asText()).isEqualTo("supervisor");
                    assertThat(f.get("correlation_id").asText()).isEqualTo("m-3");
                    assertThat(f.get("timestamp").asText()).endsWith("Z");
                }
                Map<String, Object> toolData = MAPPER.convertValue(frames.get(2).get("data"),
                        new TypeReference<LinkedHashMap<String, Object>>() { });
                assertThat(toolData).containsEntry("parameters", Map.of("q", "find it"))
                        .containsEntry("message", "supervisor is using search");
                assertThat(frames.get(1).at("/data/step_number").asInt()).isEqualTo(1);
            }
            assertThat(manager.framesOf("b1")).isEmpty();
        }
    }
}
