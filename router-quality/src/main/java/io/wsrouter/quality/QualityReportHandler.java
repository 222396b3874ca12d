package io.wsrouter.quality;

import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code generate_quality_report}: a markdown report of the dashboard (summary) or also per agent (detailed). */
final class QualityReportHandler implements MessageHandler {

    /** The agents of a detailed report (the legacy sub-agents). */
    static final List<String> REPORT_AGENTS = List.of("TriageSubAgent", "DataSubAgent", "OptimizationsCoreSubAgent",
            "ActionsToMeetGoalsSubAgent", "ReportingSubAgent");

    private final QualityMonitoringService monitoring;
    private final Clock clock;

    QualityReportHandler(QualityMonitoringService monitoring, Clock clock) {
        this.monitoring = monitoring;
        this.clock = clock;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("generate_quality_report");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) throws BadPayload {
        String reportType = Payloads.text(message, "report_type", ErrorCode.UNKNOWN_REPORT_TYPE).orElse("summary");
        String period = Payloads.text(message, "period", ErrorCode.INVALID_PAYLOAD).orElse("day");
        int hours = "week".equals(period) ? 168 : 24;
        Map<String, Object> rawData;
        if ("summary".equals(reportType)) {
            rawData = monitoring.dashboard();
        } else if ("detailed".equals(reportType)) {
            Map<String, Object> agents = new LinkedHashMap<>();
            for (String agent : REPORT_AGENTS) {
                agents.put(agent, monitoring.agentReport(agent, hours));
            }
            rawData = new LinkedHashMap<>();
            rawData.put("summary", monitoring.dashboard());
            rawData.put("agents", agents);
        } else {
            throw new BadPayload(ErrorCode.UNKNOWN_REPORT_TYPE, "report_type must be 'summary' or 'detailed'");
        }
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("report", QualityReport.markdown(reportType, rawData, now));
        data.put("raw_data", rawData);
        data.put("timestamp", now.toString());
        context.reply("quality_report_generated", data);
        return true;
    }
}
