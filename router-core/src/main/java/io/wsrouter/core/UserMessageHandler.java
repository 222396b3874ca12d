package io.wsrouter.core;

import java.util.Set;

/**
 * Chat and thread messages. {@code user_message} and {@code chat} go to the {@link AgentService} when
 * one is configured (the golden path); everything else, and chat without a service, is acknowledged
 * with {@code system_message {status:"message_received"}}.
 */
final class UserMessageHandler implements MessageHandler {

    private final Telemetry telemetry;
    /** The host's agent runner, or null when none is configured. */
    private final AgentService service;

    UserMessageHandler(Telemetry telemetry, AgentService service) {
        this.telemetry = telemetry;
        this.service = service;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("user_message", "chat", "thread_message", "thread_update", "system_message",
                "agent_response", "agent_progress");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        String type = message.type();
        if (service != null && ("user_message".equals(type) || "chat".equals(type))) {
            AgentCalls.start(telemetry, service, context, message, true);
            return true;
        }
        context.reply("system_message", Data.of("status", "message_received", "original_type", type,
                "thread_id", message.threadIdOrNull()));
        return true;
    }
}
