package io.wsrouter.core;

import java.util.Set;

/**
 * {@code agent_request} / {@code start_agent}: starts a run through the host's {@link AgentService};
 * the run's events flow back through the user's connections. Without a service: AGENT_UNAVAILABLE.
 */
final class AgentRequestHandler implements MessageHandler {

    private final Telemetry telemetry;
    /** The host's agent runner, or null when none is configured. */
    private final AgentService service;

    AgentRequestHandler(Telemetry telemetry, AgentService service) {
        this.telemetry = telemetry;
        this.service = service;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("agent_request", "start_agent");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        AgentCalls.start(telemetry, service, context, message, false);
        return true;
    }
}
