package io.wsrouter.quality;

import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import java.util.Map;
import java.util.Set;

/** {@code get_quality_metrics}: the agent report when {@code agent_name} is given, else the dashboard. */
final class QualityMetricsHandler implements MessageHandler {

    static final int MAX_PERIOD_HOURS = 24 * 365;

    private final QualityMonitoringService monitoring;

    QualityMetricsHandler(QualityMonitoringService monitoring) {
        this.monitoring = monitoring;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("get_quality_metrics");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) throws BadPayload {
        String agent = Payloads.text(message, "agent_name", ErrorCode.INVALID_PAYLOAD).orElse(null);
        int periodHours = Payloads.integer(message, "period_hours", 24, 1, MAX_PERIOD_HOURS);
        Map<String, Object> report = agent != null && !agent.isEmpty()
                ? monitoring.agentReport(agent, periodHours)
                : monitoring.dashboard();
        context.reply("quality_metrics", report);
        return true;
    }
}
