package io.wsrouter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The built-in handlers, in their chain order (the legacy order, with the batch handler last). */
final class BuiltinHandlers {

    private BuiltinHandlers() {
    }

    static List<MessageHandler> create(MessageParser parser, Pipeline pipeline, Telemetry telemetry,
                                       AgentService agentService, Map<String, JsonRpcMethod> jsonRpcMethods,
                                       ResumeHandler resume) {
        List<MessageHandler> handlers = new ArrayList<>(List.of(
                new ConnectionHandler(),
                new TypingHandler(),
                new HeartbeatHandler(),
                new AgentHandler(),
                new AgentRequestHandler(telemetry, agentService),
                new UserMessageHandler(telemetry, agentService),
                new JsonRpcHandler(parser.mapper(), telemetry, jsonRpcMethods),
                new ErrorHandler(),
                new BatchMessageHandler(parser, pipeline, telemetry)));
        if (resume != null) {
            handlers.add(resume); // only with a pool: without one there is no stream to resume
        }
        return List.copyOf(handlers);
    }
}
