package io.wsrouter.core;

import java.util.Set;

/** {@code error_message} from a client: logged and acknowledged. */
final class ErrorHandler implements MessageHandler {

    @Override
    public Set<String> messageTypes() {
        return Set.of("error_message");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        String code = message.payloadText("error_code").orElse("UNKNOWN");
        context.reply("system_message", Data.of("content", "Error received and logged",
                "error_code", code, "status", "acknowledged"));
        return true;
    }
}
