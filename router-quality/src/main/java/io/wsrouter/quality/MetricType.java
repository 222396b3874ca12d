package io.wsrouter.quality;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a {@link QualityAlert} or {@link QualityTrend} measures; on the wire its {@link #wireValue()}.
 * The default monitor raises alerts on {@link #QUALITY_SCORE} and {@link #SLOP_DETECTION_RATE} and
 * computes trends of {@link #QUALITY_SCORE}; the other kinds are for custom monitors.
 */
public enum MetricType {
    /** The overall quality score. */
    QUALITY_SCORE("quality_score"),
    /** The share of outputs rated poor or unacceptable. */
    SLOP_DETECTION_RATE("slop_detection_rate"),
    /** The share of outputs regenerated. */
    RETRY_RATE("retry_rate"),
    /** The share of outputs replaced by a fallback. */
    FALLBACK_RATE("fallback_rate"),
    /** User ratings. */
    USER_SATISFACTION("user_satisfaction"),
    /** Time to answer. */
    RESPONSE_TIME("response_time"),
    /** Output value per token. */
    TOKEN_EFFICIENCY("token_efficiency"),
    /** The share of failed requests. */
    ERROR_RATE("error_rate");

    private final String wireValue;

    MetricType(String wireValue) {
        this.wireValue = wireValue;
    }

    /** {@return the lowercase name used on the wire, for example {@code "slop_detection_rate"}} */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
