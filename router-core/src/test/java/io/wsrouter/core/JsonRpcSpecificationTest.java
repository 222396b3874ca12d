package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every example of section 7 of the JSON-RPC 2.0 specification, through the router. */
class JsonRpcSpecificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers compare by value (19 as int equals 19 as long); everything else by equals. */
    private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private RecordingRegistry registry;
    private CanonicalMessageRouter router;
    private final List<String> hellos = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        registry = new RecordingRegistry();
        router = CanonicalMessageRouter.builder().connectionPool(registry)
                .jsonRpcMethod("subtract", call -> {
                    JsonNode p = call.params();
                    if (p != null && p.isArray() && p.size() == 2) {
                        return p.get(0).asLong() - p.get(1).asLong();
                    }
                    if (p != null && p.isObject() && p.has("minuend") && p.has("subtrahend")) {
                        return p.get("minuend").asLong() - p.get("subtrahend").asLong();
                    }
                    throw JsonRpcException.invalidParams("subtract takes [minuend, subtrahend] or {minuend, subtrahend}");
                })
                .jsonRpcMethod("sum", call -> {
                    long total = 0;
                    for (JsonNode n : call.params()) {
                        total += n.asLong();
                    }
                    return total;
                })
                .jsonRpcMethod("get_data", call -> List.of("hello", 5))
                .jsonRpcMethod("notify_hello", call -> {
                    hellos.add(call.params().toString());
                    return null;
                })
                .jsonRpcMethod("echo_id_test", call -> "ok")
                .jsonRpcMethod("boom", call -> {
                    throw new IllegalStateException("secret internals");
                })
                .build();
        router.registerConnection("alice", "c1");
    }

    /** Sends a frame and returns the replies sent back (0 or 1 frames). */
    private List<String> call(String frame) {
        registry.clear();
        router.routeMessage("alice", "c1", frame);
        return registry.framesOf("c1");
    }

    private void assertResponse(String frame, String expected) throws Exception {
        List<String> replies = call(frame);
        assertThat(replies).hasSize(1);
        JsonNode actual = JSON.readTree(replies.get(0));
        assertThat(JSON.readTree(expected).equals(NUMERIC, actual))
                .as("expected %s but was %s", expected, actual).isTrue();
    }

    @Test
    void positionalParameters() throws Exception {
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}");
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
                "{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}");
    }

    @Test
    void namedParameters() throws Exception {
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}");
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}");
    }

    @Test
    void notificationsGetNoReply() {
        assertThat(call("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}")).isEmpty();
        assertThat(call("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}")).isEmpty();
        assertThat(call("{\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}")).isEmpty();
        assertThat(hellos).containsExactly("[7]");
    }

    @Test
    void nonExistentMethod() throws Exception {
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}");
    }

    @Test
    void invalidJson() throws Exception {
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("INVALID_JSON", 1L);
    }

    @Test
    void aRequestRefusedAtIngressIsAnsweredWithItsIdWhenTheIdWasReadable() throws Exception {
        assertResponse("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"sum\", \"params\": {\"a\": 1, \"a\": 2}}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": 7}");
        assertResponse("{\"jsonrpc\": \"2.0\", \"id\": \"r-1\", \"method\": \"sum\", \"params\": " + "[".repeat(40) + "]".repeat(40) + "}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\","
                        + " \"data\": {\"error_code\": \"NESTING_TOO_DEEP\", \"error_message\": \"JSON nests deeper than 32 levels\"}},"
                        + " \"id\": \"r-1\"}");
    }

    @Test
    void aRefusedRequestWhoseIdComesAfterTheFaultIsAnsweredWithNullId() throws Exception {
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": " + "[".repeat(40) + "]".repeat(40) + ", \"id\": 7}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\","
                        + " \"data\": {\"error_code\": \"NESTING_TOO_DEEP\", \"error_message\": \"JSON nests deeper than 32 levels\"}},"
                        + " \"id\": null}");
    }

    @Test
    void invalidRequestObject() throws Exception {
        assertResponse("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @Test
    void batchWithInvalidJson() throws Exception {
        assertResponse("[{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},{\"jsonrpc\": \"2.0\", \"method\"]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
    }

    @Test
    void emptyBatch() throws Exception {
        assertResponse("[]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @Test
    void invalidBatchOfOne() throws Exception {
        assertResponse("[1]",
                "[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}]");
    }

    @Test
    void invalidBatchOfThree() throws Exception {
        String error = "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}";
        assertResponse("[1,2,3]", "[" + error + "," + error + "," + error + "]");
    }

    @Test
    void mixedBatch() throws Exception {
        assertResponse("""
                [
                  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                  {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                  {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                  {"foo": "boo"},
                  {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                  {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
                ]""", """
                [
                  {"jsonrpc": "2.0", "result": 7, "id": "1"},
                  {"jsonrpc": "2.0", "result": 19, "id": "2"},
                  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
                  {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
                  {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
                ]""");
        assertThat(hellos).containsExactly("[7]");
    }

    @Test
    void batchOfOnlyNotificationsGetsNoReply() {
        assertThat(call("[{\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},"
                + "{\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}]")).isEmpty();
    }

    @Test
    void idIsEchoedExactly() throws Exception {
        assertResponse("{\"jsonrpc\":\"2.0\",\"method\":\"echo_id_test\",\"id\":\"abc\"}",
                "{\"jsonrpc\":\"2.0\",\"result\":\"ok\",\"id\":\"abc\"}");
        assertResponse("{\"jsonrpc\":\"2.0\",\"method\":\"echo_id_test\",\"id\":null}",
                "{\"jsonrpc\":\"2.0\",\"result\":\"ok\",\"id\":null}");
        List<String> big = call("{\"jsonrpc\":\"2.0\",\"method\":\"echo_id_test\",\"id\":123456789012345678901234567890}");
        assertThat(big.get(0)).contains("\"id\":123456789012345678901234567890");
        List<String> huge = call("{\"jsonrpc\":\"2.0\",\"method\":\"echo_id_test\",\"id\":1e400}");
        ObjectMapper exact = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        assertThat(exact.readTree(huge.get(0)).get("id").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(huge.get(0)).doesNotContain("Infinity");
    }

    @Test
    void reservedRpcPrefixIsMethodNotFound() throws Exception {
        assertResponse("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}");
    }

    @Test
    void invalidParamsCarriesTheMethodsData() throws Exception {
        assertResponse("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[1],\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params\","
                        + "\"data\":\"subtract takes [minuend, subtrahend] or {minuend, subtrahend}\"},\"id\":1}");
    }

    @Test
    void methodThatThrowsIsInternalErrorWithoutItsMessage() throws Exception {
        assertResponse("{\"jsonrpc\":\"2.0\",\"method\":\"boom\",\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Internal error\"},\"id\":1}");
        assertThat(router.statistics().handlerErrors()).isEqualTo(1);
    }

    @Test
    void notificationToAFailingMethodStillGetsNoReply() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"method\":\"boom\"}")).isEmpty();
    }

    @Test
    void invalidIdTypeIsInvalidRequest() throws Exception {
        assertResponse("{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1],\"id\":{}}",
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid Request\"},\"id\":null}");
    }

    @Test
    void responsesSentByTheClientGetNoReply() {
        assertThat(call("{\"jsonrpc\":\"2.0\",\"result\":5,\"id\":1}")).isEmpty();
    }

    @Test
    void numericVersionIsNotTheVersionString() throws Exception {
        assertResponse("{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1],\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1}");
        assertThat(call("{\"type\":\"jsonrpc_request\",\"payload\":{\"jsonrpc\":2.0,\"result\":1,\"id\":1}}"))
                .singleElement().asString().contains("-32600");
    }

    @Test
    void batchOverTheLimitIsInvalidRequestWithBatchTooLarge() throws Exception {
        String batch = "[" + "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1]},".repeat(100)
                + "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1]}]";
        List<String> replies = call(batch);
        JsonNode error = JSON.readTree(replies.get(0));
        assertThat(error.at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(error.at("/error/data/error_code").asText()).isEqualTo("BATCH_TOO_LARGE");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("BATCH_TOO_LARGE", 1L);
    }

    @Test
    void legacyTypedJsonRpcRequestIsAnsweredFromItsPayload() throws Exception {
        assertResponse("{\"type\":\"jsonrpc_request\",\"payload\":{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[2,3],\"id\":8}}",
                "{\"jsonrpc\":\"2.0\",\"result\":5,\"id\":8}");
    }

    @Test
    void legacyTypedNotificationNeverGetsAReplyEvenWhenItsPayloadIsInvalid() {
        // Found by fuzzing: a notification by type with a payload that is not a JSON-RPC object.
        assertThat(call("{\"type\":\"jsonrpc_notification\",\"payload\":{\"messages\":[{\"tc\":\"2.0\",\"method\":\"sum\"}]}}")).isEmpty();
        assertThat(call("{\"type\":\"jsonrpc_notification\",\"payload\":{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[1]}}")).isEmpty();
        assertThat(hellos).containsExactly("[1]");
        assertThat(call("{\"type\":\"jsonrpc_response\",\"payload\":{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[2],\"id\":1}}")).isEmpty();
        assertThat(hellos).containsExactly("[1]"); // a response never runs a method
    }

    @Test
    void builderRefusesReservedAndDuplicateNames() {
        CanonicalMessageRouter.Builder b = CanonicalMessageRouter.builder().jsonRpcMethod("x", c -> 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.jsonRpcMethod("rpc.x", c -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rpc.");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.jsonRpcMethod("x", c -> 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
    }
}
