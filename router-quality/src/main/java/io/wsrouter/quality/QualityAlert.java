package io.wsrouter.quality;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A quality problem a {@link QualityMonitoringService} noticed about one agent. Immutable: the
 * monitor replaces an alert with an updated copy when it is acknowledged, resolved, or raised again
 * while still open.
 *
 * <p>On the wire (the {@code data} of {@code quality_alert}) the components are snake_case, the
 * enums their wire values and the timestamp ISO-8601 UTC:
 * <pre>{@code
 * {"id":"quality_score_planner_1795795200","timestamp":"2026-11-27T16:00:00Z","severity":"error",
 *  "metric_type":"quality_score","agent":"planner","message":"Average quality score 0.35 for planner",
 *  "current_value":0.35,"threshold":0.4,"details":{},"acknowledged":false,"resolved":false}
 * }</pre>
 *
 * @param id           unique among the monitor's alerts
 * @param timestamp    when it was first raised
 * @param severity     how serious it is
 * @param metricType   what it measures
 * @param agent        the agent it is about
 * @param message      a description for people
 * @param currentValue the value that crossed the threshold (the latest one, for an alert raised again)
 * @param threshold    the threshold crossed
 * @param details      extra facts; an unmodifiable copy
 * @param acknowledged whether someone acknowledged it
 * @param resolved     whether it was resolved (resolved alerts are no longer active)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QualityAlert(String id, @JsonSerialize(using = ToStringSerializer.class) Instant timestamp,
                           AlertSeverity severity, MetricType metricType, String agent, String message,
                           double currentValue, double threshold, Map<String, Object> details,
                           boolean acknowledged, boolean resolved) {

    /**
     * Copies the details.
     *
     * @param id           unique among the monitor's alerts
     * @param timestamp    when it was first raised
     * @param severity     how serious it is
     * @param metricType   what it measures
     * @param agent        the agent it is about
     * @param message      a description for people
     * @param currentValue the value that crossed the threshold (the latest one, for an alert raised again)
     * @param threshold    the threshold crossed
     * @param details      extra facts; an unmodifiable copy
     * @param acknowledged whether someone acknowledged it
     * @param resolved     whether it was resolved (resolved alerts are no longer active)
     * @throws NullPointerException when a component other than the numbers and flags is null
     */
    public QualityAlert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(metricType, "metricType");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(message, "message");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
    }

    /** {@return a copy marked acknowledged} */
    public QualityAlert withAcknowledged() {
        return new QualityAlert(id, timestamp, severity, metricType, agent, message, currentValue, threshold,
                details, true, resolved);
    }

    /** {@return a copy marked resolved} */
    public QualityAlert withResolved() {
        return new QualityAlert(id, timestamp, severity, metricType, agent, message, currentValue, threshold,
                details, acknowledged, true);
    }
}
