package io.wsrouter.quality;

import io.wsrouter.core.WireJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the markdown of {@code generate_quality_report} (quality-rules.md section 16) from a
 * dashboard, or from a detailed report's {@code summary} and {@code agents}. Reads the data as a
 * JSON tree, so it renders what any monitor returns; a section is written only when its key is
 * present. The legacy renderer read keys that do not exist ({@code total_responses},
 * {@code quality_scores}, {@code agent_metrics}) and wrote only the header for a detailed report.
 */
final class QualityReport {

    static final int ALERTS_SHOWN = 5;

    private QualityReport() {
    }

    static String markdown(String reportType, Map<String, Object> rawData, Instant generated) {
        JsonNode data = WireJson.toTree(rawData);
        StringBuilder md = new StringBuilder(1024);
        md.append("# AI Quality Report\n\n");
        md.append("**Generated:** ").append(generated).append('\n');
        md.append("**Type:** ").append(titleCase(reportType)).append("\n\n");
        JsonNode dashboard = data.has("summary") ? data.get("summary") : data;
        JsonNode stats = dashboard.get("overall_stats");
        if (stats != null && stats.isObject()) {
            md.append("## Overall Statistics\n");
            md.append("- **Average Quality Score:** ").append(twoDecimals(stats.path("average_quality"))).append('\n');
            md.append("- **Total Events:** ").append(stats.path("total_events").asLong()).append('\n');
            md.append("- **Active Alerts:** ").append(stats.path("active_alerts").asLong()).append('\n');
            md.append("- **Critical Alerts:** ").append(stats.path("critical_alerts").asLong()).append("\n\n");
        }
        JsonNode distribution = dashboard.get("quality_distribution");
        if (distribution != null && distribution.isObject()) {
            md.append("## Quality Distribution\n");
            if (distribution.isEmpty()) {
                md.append("- No events recorded\n");
            }
            for (Map.Entry<String, JsonNode> e : fields(distribution)) {
                md.append("- **").append(e.getKey()).append(":** ").append(e.getValue().asLong()).append('\n');
            }
            md.append('\n');
        }
        JsonNode profiles = dashboard.get("agent_profiles");
        if (profiles != null && profiles.isObject()) {
            md.append("## Agent Performance\n");
            if (profiles.isEmpty()) {
                md.append("- No agent data\n");
            }
            for (Map.Entry<String, JsonNode> e : fields(profiles)) {
                JsonNode p = e.getValue();
                md.append("\n### ").append(e.getKey()).append('\n');
                md.append("- Average Score: ").append(twoDecimals(p.path("average_quality_score"))).append('\n');
                md.append("- Total Requests: ").append(p.path("total_requests").asLong()).append('\n');
                md.append("- Slop Detections: ").append(p.path("slop_detection_count").asLong()).append('\n');
                List<String> issues = texts(p.path("issues"));
                if (!issues.isEmpty()) {
                    md.append("- Issues: ").append(String.join(", ", issues)).append('\n');
                }
            }
            md.append('\n');
        }
        JsonNode alerts = dashboard.get("recent_alerts");
        if (alerts != null && alerts.isArray()) {
            md.append("## Recent Alerts\n");
            if (alerts.isEmpty()) {
                md.append("- No alerts\n");
            }
            int shown = 0;
            for (JsonNode a : alerts) {
                if (shown++ == ALERTS_SHOWN) {
                    break;
                }
                md.append("- **").append(a.path("severity").asText("info")).append("** [")
                        .append(a.path("timestamp").asText()).append("]: ").append(a.path("message").asText()).append('\n');
            }
            md.append('\n');
        }
        JsonNode agents = data.get("agents");
        if (data.has("summary") && agents != null && agents.isObject()) {
            appendAgentDetails(md, agents);
        }
        return md.toString().stripTrailing() + "\n";
    }

    /** Detailed reports only (not in the legacy report): each agent's statistics, or why there are none. */
    private static void appendAgentDetails(StringBuilder md, JsonNode agents) {
        md.append("## Agent Details\n");
        for (Map.Entry<String, JsonNode> e : fields(agents)) {
            JsonNode report = e.getValue();
            md.append("\n### ").append(e.getKey()).append('\n');
            if (report.has("error")) {
                md.append("- ").append(report.path("error").asText()).append('\n');
                continue;
            }
            JsonNode s = report.path("statistics");
            md.append("- Period: ").append(report.path("period_hours").asLong()).append(" h\n");
            md.append("- Events: ").append(s.path("total_events").asLong()).append('\n');
            md.append("- Average / Median: ").append(twoDecimals(s.path("average_quality"))).append(" / ")
                    .append(twoDecimals(s.path("median_quality"))).append('\n');
            md.append("- Min / Max: ").append(twoDecimals(s.path("min_quality"))).append(" / ")
                    .append(twoDecimals(s.path("max_quality"))).append('\n');
            md.append("- Std Dev: ").append(twoDecimals(s.path("std_dev"))).append('\n');
            List<String> recommendations = texts(report.path("recommendations"));
            if (!recommendations.isEmpty()) {
                md.append("- Recommendations: ").append(String.join(", ", recommendations)).append('\n');
            }
        }
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        return new ArrayList<>(object.properties());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String twoDecimals(JsonNode number) {
        return String.format(Locale.ROOT, "%.2f", number.asDouble());
    }

    static String titleCase(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }
}
