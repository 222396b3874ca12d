package io.wsrouter.quality;

import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.AgentService;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start_agent}: starts the run through the agent SPI, as the core's agent request handler
 * does, then sends {@code quality_update} with the dashboard and the seconds it took to start the
 * run (the legacy quality start handler had no {@code handle} method and crashed).
 */
final class QualityStartAgentHandler implements MessageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QualityStartAgentHandler.class);

    private final Supplier<Optional<AgentService>> agentService;
    private final QualityMonitoringService monitoring;

    QualityStartAgentHandler(Supplier<Optional<AgentService>> agentService, QualityMonitoringService monitoring) {
        this.agentService = agentService;
        this.monitoring = monitoring;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("start_agent");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        long started = System.nanoTime();
        Optional<AgentService> service = agentService.get();
        if (service.isEmpty()) {
            context.replyError(ErrorCode.AGENT_UNAVAILABLE, "no agent service is configured");
            return true;
        }
        AgentRun run = context.agentRun();
        AgentRequest request = new AgentRequest(context.userId(), context.connectionId().orElse(null),
                message.threadId().orElse(null), run.runId(), content(message), message);
        try {
            service.get().startAgent(request, run);
        } catch (Exception e) {
            LOG.warn("agent service refused {} for user {}", message, context.userId(), e);
            context.replyError(ErrorCode.AGENT_UNAVAILABLE, "the agent could not be started");
            return true;
        }
        double responseTime = (System.nanoTime() - started) / 1e9;
        Map<String, Object> update = new LinkedHashMap<>(monitoring.dashboard());
        update.put("response_time", responseTime);
        context.reply("quality_update", update);
        return true;
    }

    /** The same text the core gives an agent: {@code content}, else {@code message}, else {@code user_request}. */
    static String content(Message message) {
        return message.payloadText("content")
                .or(() -> message.payloadText("message"))
                .or(() -> message.payloadText("user_request"))
                .orElse("");
    }
}
