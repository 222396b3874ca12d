package io.wsrouter.quality;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * How one agent's quality moves: its recent scores against the ones before. Immutable; snake_case
 * on the wire.
 *
 * <p>The default monitor compares, per agent, the mean of its last 50 scores with the mean of the up
 * to 50 before those (so a trend needs more than 50 events): {@code improving} above +5 %,
 * {@code degrading} below -5 %, else {@code stable}; the forecast extrapolates half the change.
 *
 * @param agent               the agent (not in the legacy record, which kept it as the map key)
 * @param metricType          what is measured ({@link MetricType#QUALITY_SCORE})
 * @param period              {@code "hour"}, {@code "day"} or {@code "week"}
 * @param trendDirection      {@code "improving"}, {@code "degrading"} or {@code "stable"}
 * @param changePercentage    (recent - previous) / previous x 100; 0 when previous is 0
 * @param currentAverage      mean of the recent scores
 * @param previousAverage     mean of the scores before them
 * @param forecastNextPeriod  recent + half the change, clamped to [0, 1]
 * @param confidence          0.7 with more than 20 recent samples, else 0.5
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QualityTrend(String agent, MetricType metricType, String period, String trendDirection,
                           double changePercentage, double currentAverage, double previousAverage,
                           double forecastNextPeriod, double confidence) {

    /**
     * Rejects a null text or metric type.
     *
     * @param agent               the agent (not in the legacy record, which kept it as the map key)
     * @param metricType          what is measured ({@link MetricType#QUALITY_SCORE})
     * @param period              {@code "hour"}, {@code "day"} or {@code "week"}
     * @param trendDirection      {@code "improving"}, {@code "degrading"} or {@code "stable"}
     * @param changePercentage    (recent - previous) / previous x 100; 0 when previous is 0
     * @param currentAverage      mean of the recent scores
     * @param previousAverage     mean of the scores before them
     * @param forecastNextPeriod  recent + half the change, clamped to [0, 1]
     * @param confidence          0.7 with more than 20 recent samples, else 0.5
     * @throws NullPointerException when a text or the metric type is null
     */
    public QualityTrend {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(metricType, "metricType");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(trendDirection, "trendDirection");
    }
}
