package io.wsrouter.core;

/**
 * A JSON-RPC 2.0 method registered by the host through
 * {@link CanonicalMessageRouter.Builder#jsonRpcMethod(String, JsonRpcMethod)}.
 *
 * <p>The return value becomes {@code result}, serialized with Jackson ({@code null} is a valid
 * result). Throw {@link JsonRpcException} for an error with a chosen code (for example
 * {@link JsonRpcException#INVALID_PARAMS}); any other exception becomes {@code -32603 Internal error}
 * without its message. Notifications run the method and send nothing back, not even an error.
 *
 * <pre>{@code
 * builder.jsonRpcMethod("subtract", call -> {
 *     JsonNode p = call.params();
 *     if (p == null || !p.isArray() || p.size() != 2) throw JsonRpcException.invalidParams("two numbers");
 *     return p.get(0).asLong() - p.get(1).asLong();
 * });
 * }</pre>
 *
 * <p><b>Thread safety:</b> called from many threads at once.
 */
@FunctionalInterface
public interface JsonRpcMethod {

    /**
     * Runs one JSON-RPC call and returns its result.
     *
     * @param call the request; its params are a private copy
     * @return the result
     * @throws JsonRpcException for a JSON-RPC error response
     * @throws Exception        reported as {@code -32603 Internal error}
     */
    Object invoke(JsonRpcCall call) throws Exception;
}
