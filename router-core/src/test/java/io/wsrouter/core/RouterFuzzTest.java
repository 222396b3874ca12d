package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz tests. In {@code mvn verify} they run in regression mode over the committed corpus under
 * {@code src/test/resources/io/wsrouter/core/RouterFuzzTestInputs/<method>/}; to fuzz for a fixed
 * time (the {@code maxDuration} of each method: 10 and 5 minutes):
 * {@code JAZZER_FUZZ=1 mvn -pl router-core -am test -Dtest=RouterFuzzTest#routeMessageKeepsItsInvariants -Dsurefire.failIfNoSpecifiedTests=false}.
 * A crash is written to the corpus folder above as a regression input: fix it and commit it.
 */
class RouterFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "5m")
    void parseRejectsOnlyWithAnErrorCode(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        try {
            Message m = Message.parse(frame);
            assertThat(m.type()).isNotNull();
            assertThat(MessageTypes.hasValidForm(m.rawType()) || m.isJsonRpc()).isTrue();
            // The wire form of what was parsed parses again to the same message.
            assertThat(Message.parse(m.toJson())).isEqualTo(m);
        } catch (MessageFormatException e) {
            assertThat(e.errorCode()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void routeMessageKeepsItsInvariants(byte[] input) throws Exception {
        String frame = new String(input, StandardCharsets.UTF_8);
        RecordingRegistry registry = new RecordingRegistry();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(registry)
                .agentService((request, run) -> run.emit("agent_started", "fuzz", null))
                .jsonRpcMethod("sum", call -> call.params() == null ? 0 : call.params().size())
                .build();
        router.registerConnection("alice", "a1");
        router.registerConnection("bob", "b1");

        router.routeMessage("alice", "a1", frame); // must not throw

        // No frame reaches a connection of another user.
        assertThat(registry.framesOf("b1")).isEmpty();
        // Every reply frame parses as JSON.
        List<String> replies = registry.framesOf("a1");
        for (String reply : replies) {
            JsonNode node = JSON.readTree(reply);
            assertThat(node.isObject() || node.isArray()).isTrue();
        }
        // A JSON-RPC notification never gets a reply.
        if (isJsonRpcNotification(frame)) {
            assertThat(replies).isEmpty();
        }
        RoutingStatistics stats = router.statistics();
        assertThat(stats.messagesRouted() + stats.rejectedMessages()).isPositive();
    }

    private static boolean isJsonRpcNotification(String frame) {
        try {
            Message m = Message.parse(frame);
            return "jsonrpc_notification".equals(m.type());
        } catch (MessageFormatException e) {
            return false;
        }
    }
}
