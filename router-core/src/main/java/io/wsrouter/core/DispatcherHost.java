package io.wsrouter.core;

import java.util.Objects;
import java.util.Optional;

/** The {@link SubDispatcher.Host} a router hands its sub-dispatcher: emits through the outbound seam. */
final class DispatcherHost implements SubDispatcher.Host {

    private final Outbound out;
    private final AgentService agentService;

    DispatcherHost(Outbound out, AgentService agentService) {
        this.out = out;
        this.agentService = agentService;
    }

    @Override
    public int emitToUser(String userId, String eventType, Object data) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(eventType, "eventType");
        return out.emitEvent(userId, eventType, data);
    }

    @Override
    public boolean isOpen() {
        return !out.isClosed();
    }

    @Override
    public boolean hasConnectionPool() {
        return out.delivers();
    }

    @Override
    public Optional<AgentService> agentService() {
        return Optional.ofNullable(agentService);
    }
}
