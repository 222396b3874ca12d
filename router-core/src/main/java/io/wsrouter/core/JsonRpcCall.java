package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One JSON-RPC 2.0 call, as given to a {@link JsonRpcMethod}. Immutable.
 *
 * @param userId       the calling user
 * @param method       the method name
 * @param params       a private copy of {@code params} (an array or object), or null when absent
 * @param notification whether the call has no {@code id} (no response will be sent)
 */
public record JsonRpcCall(String userId, String method, JsonNode params, boolean notification) {
}
