package io.wsrouter.core;

import java.util.Set;

/**
 * Chat and thread messages. {@code user_message} and {@code chat} go to the {@link AgentService} when
 * one is configured (the golden path); everything else, and chat without a service, is acknowledged
 * with {@code system_message {status:"message_received"}}.
 */
final class UserMessageHandler implements MessageHandler {

    private final CanonicalMessageRouter router;

    UserMessageHandler(CanonicalMessageRouter router) {
        this.router = router;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("user_message", "chat", "thread_message", "thread_update", "system_message",
                "agent_response", "agent_progress");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        String type = message.type();
        AgentService service = router.agentService().orElse(null);
        if (service != null && ("user_message".equals(type) || "chat".equals(type))) {
            AgentCalls.start(router, service, context, message, true);
            return true;
        }
        context.reply("system_message", Data.of("status", "message_received", "original_type", type,
                "thread_id", message.threadIdOrNull()));
        return true;
    }
}
