package io.wsrouter.core;


/** Hands a message to the host's {@link AgentService} with a run bound to the sender. */
final class AgentCalls {

    private AgentCalls() {
    }

    /** @return whether the service accepted the request; on refusal the sender got AGENT_UNAVAILABLE */
    static boolean start(Telemetry telemetry, AgentService service, RoutingContext context, Message message,
                         boolean chat) {
        if (service == null) {
            context.replyError(ErrorCode.AGENT_UNAVAILABLE, "no agent service is configured");
            return false;
        }
        AgentRun run = context.agentRun();
        AgentRequest request = new AgentRequest(context.userId(), context.connectionId().orElse(null),
                message.threadIdOrNull(), run.runId(), content(message), message);
        try {
            if (chat) {
                service.handleUserMessage(request, run);
            } else {
                service.startAgent(request, run);
            }
            return true;
        } catch (Exception e) {
            telemetry.serviceFailed("agent service", message, context.userId(), e);
            context.replyError(ErrorCode.AGENT_UNAVAILABLE, "the agent could not be started");
            return false;
        }
    }

    static String content(Message message) {
        return message.payloadText("content")
                .or(() -> message.payloadText("message"))
                .or(() -> message.payloadText("user_request"))
                .orElse("");
    }
}
