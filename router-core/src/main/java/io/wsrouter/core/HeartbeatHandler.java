package io.wsrouter.core;

import java.util.Set;

/** {@code ping} -> {@code pong}; {@code heartbeat} -> {@code heartbeat_ack}; {@code pong} and {@code heartbeat_ack} need no reply. */
final class HeartbeatHandler implements MessageHandler {

    @Override
    public Set<String> messageTypes() {
        return Set.of("ping", "pong", "heartbeat", "heartbeat_ack");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        switch (message.type()) {
            case "ping" -> context.reply("pong", Data.of("user_id", context.userId()));
            case "heartbeat" -> context.reply("heartbeat_ack", Data.of("status", "healthy"));
            default -> {
                // pong and heartbeat_ack: the activity was recorded at admission; nothing to send.
            }
        }
        return true;
    }
}
