package io.wsrouter.core;

import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AgentService} is asked to do: immutable.
 *
 * @param userId       the requesting user
 * @param connectionId the connection the request came from, or null
 * @param threadId     the conversation thread, or null
 * @param runId        the run id (the message's {@code run_id}, or a generated one)
 * @param content      the user's text: {@code payload.content}, else {@code payload.message}, else
 *                     {@code payload.user_request}; empty when none
 * @param message      the whole message
 */
public record AgentRequest(String userId, String connectionId, String threadId, String runId,
                           String content, Message message) {

    /**
     * Checks the components.
     *
     * @param userId       the requesting user
     * @param connectionId the connection the request came from, or null
     * @param threadId     the conversation thread, or null
     * @param runId        the run id
     * @param content      the user's text; empty when none
     * @param message      the whole message
     * @throws NullPointerException when userId, runId, content or message is null
     */
    public AgentRequest {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(message, "message");
    }

    /** {@return the thread id, if any} */
    public Optional<String> thread() {
        return Optional.ofNullable(threadId);
    }
}
