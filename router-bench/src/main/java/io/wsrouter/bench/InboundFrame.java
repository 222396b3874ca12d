package io.wsrouter.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The W1 frame as Spring's Jackson converter binds it for a {@code @MessageMapping} method: the same
 * JSON the other peers parse, the payload kept as a tree as they keep it.
 *
 * @param type      the message type
 * @param payload   the payload object
 * @param threadId  {@code thread_id}
 * @param messageId {@code message_id}
 */
public record InboundFrame(String type, JsonNode payload,
                           @JsonProperty("thread_id") String threadId,
                           @JsonProperty("message_id") String messageId) {

    /** @return the payload's text field, or empty */
    String text(String field) {
        JsonNode node = payload == null ? null : payload.get(field);
        return node != null && node.isTextual() ? node.textValue() : "";
    }
}
