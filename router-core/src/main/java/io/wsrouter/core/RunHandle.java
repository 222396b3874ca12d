package io.wsrouter.core;

import java.util.Objects;
import java.util.Optional;

/** The {@link AgentRun} the router hands to an {@link AgentService}: bound to one user. */
final class RunHandle implements AgentRun {

    private final Outbound out;
    private final String userId;
    private final String runId;
    private final String threadId;
    private final String correlationId;

    RunHandle(Outbound out, String userId, String runId, String threadId, String correlationId) {
        this.out = out;
        this.userId = userId;
        this.runId = runId;
        this.threadId = threadId;
        this.correlationId = correlationId;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public Optional<String> threadId() {
        return Optional.ofNullable(threadId);
    }

    @Override
    public boolean emit(String eventType, String agentName, Object data) {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(agentName, "agentName");
        FrameBuffer frame = out.frames().buffer(eventType, data, correlationId, runId, agentName, threadId);
        return out.emit(userId, frame) > 0;
    }

    @Override
    public String toString() {
        return "AgentRun[user=" + userId + ", run=" + runId + "]";
    }
}
