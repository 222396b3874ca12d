package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Offsets, epoch and resume through the router (DESIGN section 10), with the default in-memory broker. */
class RouterResumeTest {

    private RecordingRegistry registry;
    private CanonicalMessageRouter router;

    @BeforeEach
    void setUp() {
        registry = new RecordingRegistry();
        router = CanonicalMessageRouter.builder()
                .connectionPool(registry)
                .agentService((request, run) -> {
                    run.emit("agent_started", "analyst", Map.of());
                    run.emit("agent_completed", "analyst", Map.of("result", "done"));
                })
                .jsonRpcMethod("echo", call -> call.params())
                .build();
    }

    @AfterEach
    void tearDown() {
        router.close();
    }

    private List<JsonNode> events(String connection) {
        return registry.jsonOf(connection).stream().filter(n -> n.has("offset")).collect(Collectors.toList());
    }

    private static List<Long> offsets(List<JsonNode> frames) {
        return frames.stream().map(n -> n.get("offset").asLong()).collect(Collectors.toList());
    }

    private String resume(String epoch, Object offset) {
        return "{\"type\":\"resume\",\"message_id\":\"m-r\",\"payload\":{\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}}";
    }

    @Test
    void everyEventOfTheUsersStreamCarriesItsOffsetAndEpochAtTopLevel() {
        router.registerConnection("alice", "a1");
        router.registerConnection("alice", "a2");
        router.emitToUser("alice", "agent_thinking", Map.of("reasoning", "r"));
        router.emitToUser("alice", "quality_alert", Map.of("level", "warn"));

        for (String connection : List.of("a1", "a2")) {
            List<JsonNode> events = events(connection);
            assertThat(offsets(events)).containsExactly(1L, 2L);
            assertThat(events.get(0).get("epoch").isTextual()).isTrue();
            assertThat(events.get(0).get("epoch")).isEqualTo(events.get(1).get("epoch"));
            assertThat(events.get(0).get("type").asText()).isEqualTo("agent_thinking");
        }
    }

    @Test
    void agentRunEventsAreSequencedButRepliesAndJsonRpcResponsesAreNot() {
        router.routeMessage("alice", "a1", "{\"type\":\"user_message\",\"payload\":{\"content\":\"hi\"}}");
        router.routeMessage("alice", "a1", "{\"type\":\"ping\"}");
        router.routeMessage("alice", "a1", "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":7}");
        router.routeMessage("alice", "a1", "{\"type\":\"nonsense_type_x\"}");

        List<JsonNode> all = registry.jsonOf("a1");
        assertThat(events("a1")).extracting(n -> n.get("type").asText()).containsExactly("agent_started", "agent_completed");
        assertThat(offsets(events("a1"))).containsExactly(1L, 2L);
        assertThat(all).filteredOn(n -> !n.has("offset")).extracting(n -> n.has("type") ? n.get("type").asText() : "jsonrpc")
                .containsExactly("pong", "jsonrpc", "ack");
        assertThat(all).filteredOn(n -> !n.has("offset")).allMatch(n -> !n.has("epoch"));
    }

    @Test
    void aTabThatReconnectsGetsExactlyWhatItMissedThenTheResult() {
        router.registerConnection("alice", "a1");
        for (int i = 1; i <= 3; i++) {
            router.emitToUser("alice", "agent_thinking", Map.of("step", i));
        }
        String epoch = events("a1").get(0).get("epoch").asText();
        router.unregisterConnection("a1");                       // the network blips
        router.emitToUser("alice", "tool_executing", Map.of("tool", "search"));
        router.emitToUser("alice", "tool_completed", Map.of("tool", "search"));
        router.registerConnection("alice", "a2");                 // the tab is back

        assertThat(router.routeMessage("alice", "a2", resume(epoch, 3))).isTrue();

        List<JsonNode> frames = registry.jsonOf("a2");
        assertThat(frames).extracting(n -> n.get("type").asText())
                .containsExactly("tool_executing", "tool_completed", "resume_result");
        assertThat(offsets(events("a2"))).containsExactly(4L, 5L);
        JsonNode result = frames.get(2);
        assertThat(result.at("/data/recovered").asBoolean()).isTrue();
        assertThat(result.at("/data/replayed").asInt()).isEqualTo(2);
        assertThat(result.at("/data/epoch").asText()).isEqualTo(epoch);
        assertThat(result.at("/data/offset").asLong()).isEqualTo(5);
        assertThat(result.get("correlation_id").asText()).isEqualTo("m-r");
        assertThat(result.has("offset")).isFalse();
        assertThat(router.broker().orElseThrow().statistics().resumesRecovered()).isEqualTo(1);
    }

    @Test
    void aReplayedEventIsTheSameTextAsFirstSentWhetherItIsAsciiOrNot() {
        router.registerConnection("alice", "a1");
        router.emitToUser("alice", "agent_thinking", Map.of("reasoning", "plain ascii"));
        router.emitToUser("alice", "agent_thinking", Map.of("reasoning", "héllo ✓ 😀 \u0000 \"q\""));
        router.emitToUser("alice", "agent_thinking", Map.of("reasoning", "ascii again"));
        List<String> sent = registry.framesOf("a1");
        String epoch = events("a1").get(0).get("epoch").asText();
        router.registerConnection("alice", "a2");

        router.routeMessage("alice", "a2", resume(epoch, 0));

        assertThat(registry.framesOf("a2")).hasSize(4).startsWith(sent.toArray(new String[0]));
    }

    @Test
    void aResumeWithAnotherEpochReplaysNothingAndSaysRecoveredFalse() {
        router.registerConnection("alice", "a1");
        router.emitToUser("alice", "agent_thinking", Map.of());
        String epoch = events("a1").get(0).get("epoch").asText();

        router.routeMessage("alice", "a1", resume("old-" + epoch, 0));

        JsonNode result = registry.last("a1");
        assertThat(result.get("type").asText()).isEqualTo("resume_result");
        assertThat(result.at("/data/recovered").asBoolean()).isFalse();
        assertThat(result.at("/data/replayed").asInt()).isZero();
        assertThat(result.at("/data/epoch").asText()).isEqualTo(epoch);
        assertThat(result.at("/data/offset").asLong()).isEqualTo(1);
        assertThat(events("a1")).hasSize(1);
    }

    @Test
    void aResumeNeverReplaysAnotherUsersStream() {
        router.registerConnection("alice", "a1");
        router.registerConnection("bob", "b1");
        router.emitToUser("bob", "agent_thinking", Map.of("secret", "bob's"));
        String bobsEpoch = events("b1").get(0).get("epoch").asText();

        router.routeMessage("alice", "a1", resume(bobsEpoch, 0));

        assertThat(registry.framesOf("a1")).noneMatch(f -> f.contains("bob's"));
        assertThat(registry.last("a1").at("/data/recovered").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"resume\"}",
            "{\"type\":\"resume\",\"payload\":{\"offset\":1}}",
            "{\"type\":\"resume\",\"payload\":{\"epoch\":7,\"offset\":1}}",
            "{\"type\":\"resume\",\"payload\":{\"epoch\":\"e\"}}",
            "{\"type\":\"resume\",\"payload\":{\"epoch\":\"e\",\"offset\":-1}}",
            "{\"type\":\"resume\",\"payload\":{\"epoch\":\"e\",\"offset\":\"3\"}}",
            "{\"type\":\"resume\",\"payload\":{\"epoch\":\"e\",\"offset\":2.5}}",
            "{\"type\":\"resume\",\"payload\":{\"epoch\":\"e\",\"offset\":99999999999999999999999}}"})
    void aMalformedResumeIsRefusedWithInvalidResumeAndChangesNothing(String frame) {
        router.registerConnection("alice", "a1");
        router.emitToUser("alice", "agent_thinking", Map.of());

        assertThat(router.routeMessage("alice", "a1", frame)).isFalse();

        JsonNode reply = registry.last("a1");
        assertThat(reply.get("type").asText()).isEqualTo("error_message");
        assertThat(reply.at("/data/error_code").asText()).isEqualTo("INVALID_RESUME");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("INVALID_RESUME", 1L);
        BrokerStatistics stats = router.broker().orElseThrow().statistics();
        assertThat(stats.resumesRecovered() + stats.resumesNotRecovered()).isZero();
    }

    @Test
    void aResumeWithoutAConnectionIsRefused() {
        router.registerConnection("alice", "a1");
        assertThat(router.routeConnectionlessFrame("alice", resume("e", 0))).isFalse();
        assertThat(registry.last("a1").at("/data/error_code").asText()).isEqualTo("INVALID_RESUME");
    }

    @Test
    void theRouterBindsAndClosesTheBrokerItWasBuiltWith() {
        Broker broker = Broker.inMemoryBuilder().historySize(2).build();
        RecordingRegistry pool = new RecordingRegistry();
        CanonicalMessageRouter custom = CanonicalMessageRouter.builder().connectionPool(pool).broker(broker).build();
        custom.registerConnection("alice", "a1");
        for (int i = 0; i < 3; i++) {
            custom.emitToUser("alice", "agent_thinking", Map.of());
        }
        String epoch = pool.jsonOf("a1").get(0).get("epoch").asText();
        custom.routeMessage("alice", "a1", resume(epoch, 0)); // offset 1 was trimmed (historySize 2)
        assertThat(pool.last("a1").at("/data/recovered").asBoolean()).isFalse();
        assertThat(custom.broker()).containsSame(broker);

        custom.close();
        assertThat(broker.publish("alice", "{}")).isZero();
    }

    @Test
    void aRouterWithoutAPoolHasNoBroker() {
        try (CanonicalMessageRouter bare = CanonicalMessageRouter.builder().build()) {
            assertThat(bare.broker()).isEmpty();
            assertThat(bare.emitToUser("alice", "agent_thinking", Map.of())).isFalse();
        }
    }
}
