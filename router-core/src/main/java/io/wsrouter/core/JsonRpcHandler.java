package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * JSON-RPC 2.0, as the specification writes it: requests to the methods the host registered,
 * the specification's error codes, no response to notifications (also inside batches), batches
 * answered with an array (no reply when every entry was a notification), {@code id} echoed as sent,
 * {@code rpc.}-prefixed names reserved. Responses are bare JSON-RPC objects, never enveloped.
 *
 * <p>Also accepts the legacy {@code jsonrpc_request / jsonrpc_response / jsonrpc_notification}
 * message types, whose payload holds the JSON-RPC object.
 */
final class JsonRpcHandler implements MessageHandler {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    private final Telemetry telemetry;
    private final Map<String, JsonRpcMethod> methods;

    JsonRpcHandler(ObjectMapper mapper, Telemetry telemetry, Map<String, JsonRpcMethod> methods) {
        this.mapper = mapper;
        this.telemetry = telemetry;
        this.methods = Map.copyOf(methods);
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of(MessageTypes.JSONRPC_REQUEST, MessageTypes.JSONRPC_RESPONSE,
                MessageTypes.JSONRPC_NOTIFICATION, MessageTypes.JSONRPC_BATCH);
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        if (!(context instanceof Route route)) {
            return false; // JSON-RPC responses are written raw, which only the router's own context can do
        }
        JsonNode body = message.isJsonRpc() ? message.jsonRpcView() : message.payloadView();
        if (!message.isJsonRpc() && !MessageTypes.JSONRPC_REQUEST.equals(message.type())) {
            // A legacy-typed notification or response never gets a reply, whatever its payload holds;
            // only a notification runs its method (a response never does).
            if (MessageTypes.JSONRPC_NOTIFICATION.equals(message.type())) {
                process(context.userId(), body, true);
            }
            return true;
        }
        if (body.isArray()) {
            if (body.isEmpty()) {
                route.sendRaw(error(JsonRpcException.INVALID_REQUEST, "Invalid Request", null, NullNode.instance).toString());
                return true;
            }
            ArrayNode responses = NODES.arrayNode();
            for (JsonNode entry : body) {
                ObjectNode response = process(context.userId(), entry, false);
                if (response != null) {
                    responses.add(response);
                }
            }
            if (!responses.isEmpty()) {
                route.sendRaw(responses.toString());
            }
            return true;
        }
        ObjectNode response = process(context.userId(), body, false);
        if (response != null) {
            route.sendRaw(response.toString());
        }
        return true;
    }

    /**
     * @param silent whether the message was declared a notification or response by its legacy type:
     *               then no response is due, whatever the body holds
     * @return the response, or null when none is due (notification, or a response object from the client)
     */
    private ObjectNode process(String userId, JsonNode entry, boolean silent) {
        if (silent) {
            if (entry.isObject() && entry.path("method").isTextual() && !entry.path("method").textValue().startsWith("rpc.")) {
                invokeQuietly(userId, entry);
            }
            return null;
        }
        if (!entry.isObject()) {
            return error(JsonRpcException.INVALID_REQUEST, "Invalid Request", null, NullNode.instance);
        }
        JsonNode id = entry.get("id");
        boolean hasId = entry.has("id");
        boolean validId = !hasId || id.isTextual() || id.isNumber() || id.isNull();
        JsonNode echoId = hasId && validId ? id : NullNode.instance;
        JsonNode version = entry.get("jsonrpc");
        JsonNode method = entry.get("method");
        if (method == null && (entry.has("result") || entry.has("error"))
                && version != null && "2.0".equals(version.textValue())) {
            return null; // a response sent by the client: nothing to answer
        }
        JsonNode params = entry.get("params");
        if (version == null || !version.isTextual() || !"2.0".equals(version.textValue())
                || method == null || !method.isTextual() || !validId
                || (params != null && !params.isArray() && !params.isObject())) {
            return error(JsonRpcException.INVALID_REQUEST, "Invalid Request", null, echoId);
        }
        boolean notification = !hasId;
        String name = method.textValue();
        JsonRpcMethod target = name.startsWith("rpc.") ? null : methods.get(name);
        if (target == null) {
            return notification ? null : error(JsonRpcException.METHOD_NOT_FOUND, "Method not found", null, echoId);
        }
        try {
            Object result = target.invoke(new JsonRpcCall(userId, name, params == null ? null : params.deepCopy(), notification));
            if (notification) {
                return null;
            }
            ObjectNode response = NODES.objectNode();
            response.put("jsonrpc", "2.0");
            response.set("result", mapper.valueToTree(result));
            response.set("id", echoId);
            return response;
        } catch (JsonRpcException e) {
            return notification ? null : error(e.code(), e.getMessage(), e.data(), echoId);
        } catch (Exception e) {
            telemetry.handlerFailed("JSON-RPC method " + name, "jsonrpc:" + name, null, userId, e);
            return notification ? null : error(JsonRpcException.INTERNAL_ERROR, "Internal error", null, echoId);
        }
    }

    private void invokeQuietly(String userId, JsonNode entry) {
        String name = entry.get("method").textValue();
        JsonRpcMethod target = methods.get(name);
        if (target == null) {
            return;
        }
        JsonNode params = entry.get("params");
        try {
            target.invoke(new JsonRpcCall(userId, name,
                    params == null || !(params.isArray() || params.isObject()) ? null : params.deepCopy(), true));
        } catch (Exception e) {
            telemetry.handlerFailed("JSON-RPC notification " + name, "jsonrpc:" + name, null, userId, e);
        }
    }

    private ObjectNode error(int code, String text, Object data, JsonNode id) {
        ObjectNode error = NODES.objectNode();
        error.put("code", code);
        error.put("message", text);
        if (data != null) {
            error.set("data", mapper.valueToTree(data));
        }
        ObjectNode response = NODES.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("error", error);
        response.set("id", id);
        return response;
    }

    /** A frame that failed to parse is answered in JSON-RPC form when it looks like JSON-RPC. */
    static boolean looksLikeJsonRpc(String frame) {
        if (frame == null) {
            return false;
        }
        for (int i = 0, n = frame.length(); i < n; i++) {
            char c = frame.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '[' || frame.contains("\"jsonrpc\"");
            }
        }
        return false;
    }

    /**
     * -32700 for unparseable text, -32600 (with our error code as data) for every other rejection.
     *
     * @param id the request's id when it could be read from the refused frame, else JSON null
     */
    static String errorForRejectedFrame(ErrorCode code, String detail, JsonNode id) {
        ObjectNode error = NODES.objectNode();
        if (code == ErrorCode.INVALID_JSON) {
            error.put("code", JsonRpcException.PARSE_ERROR);
            error.put("message", "Parse error");
        } else {
            error.put("code", JsonRpcException.INVALID_REQUEST);
            error.put("message", "Invalid Request");
            ObjectNode data = error.putObject("data");
            data.put("error_code", code.name());
            data.put("error_message", detail);
        }
        ObjectNode response = NODES.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("error", error);
        response.set("id", id);
        return response.toString();
    }
}
