package io.wsrouter.core;

import java.util.List;
import java.util.Map;

/** The built-in handlers, in their chain order (the legacy order, with the batch handler last). */
final class BuiltinHandlers {

    private BuiltinHandlers() {
    }

    static List<MessageHandler> create(CanonicalMessageRouter router, Map<String, JsonRpcMethod> jsonRpcMethods) {
        return List.of(
                new ConnectionHandler(),
                new TypingHandler(),
                new HeartbeatHandler(),
                new AgentHandler(),
                new AgentRequestHandler(router),
                new UserMessageHandler(router),
                new JsonRpcHandler(router, jsonRpcMethods),
                new ErrorHandler(),
                new BatchMessageHandler(router));
    }
}
