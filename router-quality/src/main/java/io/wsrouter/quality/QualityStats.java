package io.wsrouter.quality;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a gate saw of one content type over its last validations (legacy {@code get_quality_stats}).
 * Immutable; snake_case on the wire.
 *
 * @param count               validations considered (the last 100 at most, for the default gate)
 * @param averageScore        mean overall score
 * @param minScore            lowest overall score
 * @param maxScore            highest overall score
 * @param failureRate         share of scores below 0.5
 * @param qualityDistribution every {@link QualityLevel} wire value, in level order, to its count (zeros included)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QualityStats(int count, double averageScore, double minScore, double maxScore, double failureRate,
                           Map<String, Integer> qualityDistribution) {

    /**
     * Copies the distribution, keeping its order.
     *
     * @param count               validations considered (the last 100 at most, for the default gate)
     * @param averageScore        mean overall score
     * @param minScore            lowest overall score
     * @param maxScore            highest overall score
     * @param failureRate         share of scores below 0.5
     * @param qualityDistribution every {@link QualityLevel} wire value, in level order, to its count (zeros included)
     */
    public QualityStats {
        qualityDistribution = Collections.unmodifiableMap(new LinkedHashMap<>(qualityDistribution));
    }
}
