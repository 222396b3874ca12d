package io.wsrouter.core;

import java.util.Set;

/** Agent status messages sent by clients: acknowledged with {@code agent_message_acknowledged}. */
final class AgentHandler implements MessageHandler {

    @Override
    public Set<String> messageTypes() {
        return Set.of("agent_task_ack", "agent_response_chunk", "agent_response_complete",
                "agent_status_update", "agent_error");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        context.reply("system_message", Data.of("status", "agent_message_acknowledged",
                "original_type", message.type(), "user_id", context.userId()));
        return true;
    }
}
