package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of the built-in handler table of DESIGN section 3. */
class BuiltinHandlersTest {

    private RecordingRegistry registry;
    private CanonicalMessageRouter router;

    @BeforeEach
    void setUp() {
        registry = new RecordingRegistry();
        router = CanonicalMessageRouter.builder().connectionPool(registry).build();
        router.registerConnection("alice", "c1");
    }

    private JsonNode send(String frame) {
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", frame)).isTrue();
        return registry.last("c1");
    }

    @Test
    void connectIsAcknowledgedAsConnected() {
        JsonNode reply = send("{\"type\":\"connect\"}");
        assertThat(reply.get("type").asText()).isEqualTo("system_message");
        assertThat(reply.at("/data/status").asText()).isEqualTo("connected");
        assertThat(reply.at("/data/user_id").asText()).isEqualTo("alice");
    }

    @Test
    void disconnectIsAcknowledgedThenTheConnectionIsUnregistered() {
        JsonNode reply = send("{\"type\":\"disconnect\"}");
        assertThat(reply.at("/data/status").asText()).isEqualTo("disconnect_acknowledged");
        assertThat(registry.ownerOf("c1")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_typing", "agent_typing", "typing_started", "typing_stopped"})
    void typingIsAcknowledgedWithTheCanonicalType(String type) {
        JsonNode reply = send("{\"type\":\"" + type + "\",\"thread_id\":\"t-1\"}");
        assertThat(reply.get("type").asText()).isEqualTo("system_message");
        assertThat(reply.at("/data/status").asText()).isEqualTo("typing_acknowledged");
        assertThat(reply.at("/data/type").asText()).isEqualTo(type);
        assertThat(reply.at("/data/user_id").asText()).isEqualTo("alice");
        assertThat(reply.at("/data/thread_id").asText()).isEqualTo("t-1");
    }

    @Test
    void legacyTypingAliasIsAcknowledgedAsUserTyping() {
        assertThat(send("{\"type\":\"typing\"}").at("/data/type").asText()).isEqualTo("user_typing");
    }

    @Test
    void pingIsAnsweredWithPong() {
        JsonNode reply = send("{\"type\":\"ping\",\"message_id\":\"m-1\"}");
        assertThat(reply.get("type").asText()).isEqualTo("pong");
        assertThat(reply.get("correlation_id").asText()).isEqualTo("m-1");
        assertThat(reply.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void heartbeatIsAnsweredHealthy() {
        JsonNode reply = send("{\"type\":\"heartbeat\"}");
        assertThat(reply.get("type").asText()).isEqualTo("heartbeat_ack");
        assertThat(reply.at("/data/status").asText()).isEqualTo("healthy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pong", "heartbeat_ack"})
    void pongAndHeartbeatAckAreHandledWithoutReply(String type) {
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"" + type + "\"}")).isTrue();
        assertThat(registry.framesOf("c1")).isEmpty();
        assertThat(router.statistics().unhandledMessages()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent_task_ack", "agent_response_chunk", "agent_response_complete",
        "agent_status_update", "agent_error"})
    void agentStatusMessagesAreAcknowledged(String type) {
        JsonNode reply = send("{\"type\":\"" + type + "\"}");
        assertThat(reply.at("/data/status").asText()).isEqualTo("agent_message_acknowledged");
        assertThat(reply.at("/data/original_type").asText()).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent_request", "start_agent", "execute_agent"})
    void agentRequestWithoutAnAgentServiceIsAgentUnavailable(String type) {
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"" + type + "\"}")).isFalse();
        JsonNode reply = registry.last("c1");
        assertThat(reply.get("type").asText()).isEqualTo("error_message");
        assertThat(reply.at("/data/error_code").asText()).isEqualTo("AGENT_UNAVAILABLE");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("AGENT_UNAVAILABLE", 1L);
    }

    @Test
    void agentRequestStartsARunWhoseEventsReachOnlyThatUser() {
        List<AgentRequest> requests = new CopyOnWriteArrayList<>();
        CanonicalMessageRouter withAgents = CanonicalMessageRouter.builder().connectionPool(registry)
                .agentService((request, run) -> {
                    requests.add(request);
                    run.emit("agent_started", "supervisor", Map.of("status", "started"));
                }).build();
        withAgents.registerConnection("alice", "c1");
        withAgents.registerConnection("bob", "b1");
        registry.clear();
        assertThat(withAgents.routeMessage("alice", "c1",
                "{\"type\":\"start_agent\",\"payload\":{\"content\":\"plan\"},\"run_id\":\"r-7\",\"thread_id\":\"t\",\"message_id\":\"m\"}"))
                .isTrue();
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.userId()).isEqualTo("alice");
            assertThat(r.runId()).isEqualTo("r-7");
            assertThat(r.content()).isEqualTo("plan");
            assertThat(r.threadId()).isEqualTo("t");
        });
        JsonNode event = registry.last("c1");
        assertThat(event.get("type").asText()).isEqualTo("agent_started");
        assertThat(event.get("run_id").asText()).isEqualTo("r-7");
        assertThat(event.get("agent_name").asText()).isEqualTo("supervisor");
        assertThat(event.get("correlation_id").asText()).isEqualTo("m");
        assertThat(registry.framesOf("b1")).isEmpty();
    }

    @Test
    void agentServiceThatThrowsIsAgentUnavailable() {
        CanonicalMessageRouter failing = CanonicalMessageRouter.builder().connectionPool(registry)
                .agentService((request, run) -> {
                    throw new IllegalStateException("down");
                }).build();
        failing.registerConnection("alice", "c1");
        registry.clear();
        assertThat(failing.routeMessage("alice", "c1", "{\"type\":\"agent_request\"}")).isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("AGENT_UNAVAILABLE");
    }

    @Test
    void userMessageGoesToTheAgentServiceWhenConfigured() {
        List<String> contents = new CopyOnWriteArrayList<>();
        CanonicalMessageRouter withAgents = CanonicalMessageRouter.builder().connectionPool(registry)
                .agentService((request, run) -> contents.add("start:" + request.content()))
                .build();
        assertThat(withAgents.routeMessage("alice", "c1", "{\"type\":\"user_message\",\"payload\":{\"content\":\"hi\"}}")).isTrue();
        assertThat(withAgents.routeMessage("alice", "c1", "{\"type\":\"chat\",\"payload\":{\"message\":\"yo\"}}")).isTrue();
        assertThat(contents).containsExactly("start:hi", "start:yo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_message", "chat", "thread_message", "thread_update", "system_message",
        "agent_response", "agent_progress"})
    void userMessagesWithoutAnAgentServiceAreReceived(String type) {
        JsonNode reply = send("{\"type\":\"" + type + "\"}");
        assertThat(reply.get("type").asText()).isEqualTo("system_message");
        assertThat(reply.at("/data/status").asText()).isEqualTo("message_received");
    }

    @Test
    void errorMessageIsLoggedAndAcknowledged() {
        JsonNode reply = send("{\"type\":\"error\",\"payload\":{\"error_code\":\"E42\"}}");
        assertThat(reply.get("type").asText()).isEqualTo("system_message");
        assertThat(reply.at("/data/content").asText()).isEqualTo("Error received and logged");
        assertThat(reply.at("/data/error_code").asText()).isEqualTo("E42");
        assertThat(reply.at("/data/status").asText()).isEqualTo("acknowledged");
    }

    @Test
    void errorMessageWithoutCodeReportsUnknown() {
        assertThat(send("{\"type\":\"error_message\"}").at("/data/error_code").asText()).isEqualTo("UNKNOWN");
    }

    @Test
    void batchRoutesEachMessageInOrderAndReportsEachOutcome() {
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"batch\",\"payload\":{\"messages\":["
                + "{\"type\":\"ping\"},{\"type\":\"heartbeat\"},{\"type\":\"no_such_type\"},{\"type\":\"batch\"},{\"payload\":{}},7]}}"))
                .isTrue();
        List<JsonNode> frames = registry.jsonOf("c1");
        assertThat(frames).extracting(f -> f.get("type").asText())
                .containsExactly("pong", "heartbeat_ack", "ack", "batch_result");
        JsonNode results = frames.get(3).at("/data/results");
        assertThat(results).hasSize(6);
        assertThat(results.get(0).get("status").asText()).isEqualTo("handled");
        assertThat(results.get(2).get("status").asText()).isEqualTo("acknowledged");
        assertThat(results.get(3).get("error_code").asText()).isEqualTo("BATCH_TOO_LARGE");
        assertThat(results.get(4).get("error_code").asText()).isEqualTo("MISSING_TYPE");
        assertThat(results.get(5).get("error_code").asText()).isEqualTo("INVALID_PAYLOAD");
        assertThat(frames.get(3).at("/data/handled").asInt()).isEqualTo(2);
    }

    @Test
    void batchOverTheLimitIsBatchTooLarge() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            items.append(i == 0 ? "" : ",").append("{\"type\":\"ping\"}");
        }
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"batch\",\"payload\":{\"messages\":[" + items + "]}}"))
                .isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("BATCH_TOO_LARGE");
        assertThat(registry.framesOf("c1")).hasSize(1);
    }

    @Test
    void batchWithoutMessagesArrayIsInvalidPayload() {
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"batch\",\"payload\":{\"messages\":{}}}")).isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("INVALID_PAYLOAD");
    }

    @Test
    void unknownTypeIsAcknowledgedAndCountedAsUnhandled() {
        JsonNode reply = send("{\"type\":\"made_up_type\"}");
        assertThat(reply.get("type").asText()).isEqualTo("ack");
        assertThat(reply.at("/data/received_type").asText()).isEqualTo("made_up_type");
        assertThat(reply.at("/data/status").asText()).isEqualTo("acknowledged");
        assertThat(router.statistics().unhandledMessages()).isEqualTo(1);
    }

    @Test
    void legacyProgressRewriteIsNotReproduced() {
        // The legacy router rewrote nearly every canonical type to agent_progress (no reply). Here ping stays ping.
        assertThat(send("{\"type\":\"ping\"}").get("type").asText()).isEqualTo("pong");
        assertThat(router.statistics().messageTypes()).containsEntry("ping", 1L).doesNotContainKey("agent_progress");
    }

    @Test
    void handlerOrderListsTheBuiltinsInTheirLegacyOrder() {
        assertThat(router.handlerOrder()).containsExactly("ConnectionHandler", "TypingHandler", "HeartbeatHandler",
                "AgentHandler", "AgentRequestHandler", "UserMessageHandler", "JsonRpcHandler", "ErrorHandler",
                "BatchMessageHandler", "ResumeHandler");
    }
}
