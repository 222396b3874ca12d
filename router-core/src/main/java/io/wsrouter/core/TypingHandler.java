package io.wsrouter.core;

import java.util.Set;

/** Typing indicators: acknowledged with {@code typing_acknowledged} and the canonical type (not the enum's name, as legacy did). */
final class TypingHandler implements MessageHandler {

    @Override
    public Set<String> messageTypes() {
        return Set.of("user_typing", "agent_typing", "typing_started", "typing_stopped");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        context.reply("system_message", Data.of("status", "typing_acknowledged", "type", message.type(),
                "user_id", context.userId(), "thread_id", message.threadIdOrNull()));
        return true;
    }
}
