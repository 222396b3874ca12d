package io.wsrouter.core;

import java.util.Set;

/** {@code connect} / {@code disconnect}: acknowledges with a {@code system_message} status. */
final class ConnectionHandler implements MessageHandler {

    @Override
    public Set<String> messageTypes() {
        return Set.of("connect", "disconnect");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        String status = "connect".equals(message.type()) ? "connected" : "disconnect_acknowledged";
        context.reply("system_message", Data.of("status", status, "user_id", context.userId(),
                "connection_id", context.connectionId().orElse(null)));
        return true;
    }
}
