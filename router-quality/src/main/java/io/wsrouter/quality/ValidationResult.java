package io.wsrouter.quality;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The verdict of a {@link QualityGateService} on one text. Immutable.
 *
 * <p>On the wire (the {@code data} of {@code content_validation_result}) the components are
 * snake_case: {@code passed}, {@code metrics}, {@code retry_suggested},
 * {@code retry_prompt_adjustments}, {@code fallback_response}.
 *
 * <pre>{@code
 * ValidationResult r = gate.validate(answer, ContentType.OPTIMIZATION, Map.of("user_request", question), false);
 * if (!r.passed() && r.retrySuggested()) {
 *     regenerate(r.retryPromptAdjustments());   // {temperature=0.3, additional_instructions=[...]}
 * }
 * }</pre>
 *
 * @param passed                 whether the text meets every threshold of its content type
 * @param metrics                what was measured
 * @param retrySuggested         whether generating the text again is advised
 * @param retryPromptAdjustments on failure, {@code {"temperature":0.3,"additional_instructions":[...]}};
 *                               null otherwise. An unmodifiable copy.
 * @param fallbackResponse       a text to use instead; the default gate never sets one (null)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ValidationResult(boolean passed, QualityMetrics metrics, boolean retrySuggested,
                               Map<String, Object> retryPromptAdjustments, String fallbackResponse) {

    /**
     * Copies the adjustments (keeping their order).
     *
     * @param passed                 whether the text meets every threshold of its content type
     * @param metrics                what was measured
     * @param retrySuggested         whether generating the text again is advised
     * @param retryPromptAdjustments on failure, {@code {"temperature":0.3,"additional_instructions":[...]}};
     *                               null otherwise. An unmodifiable copy.
     * @param fallbackResponse       a text to use instead; the default gate never sets one (null)
     * @throws NullPointerException when metrics is null
     */
    public ValidationResult {
        Objects.requireNonNull(metrics, "metrics");
        if (retryPromptAdjustments != null) {
            retryPromptAdjustments = Collections.unmodifiableMap(new LinkedHashMap<>(retryPromptAdjustments));
        }
    }

    /**
     * Creates a passing result.
     *
     * @param metrics the metrics
     * @return a passing result without retry advice
     */
    public static ValidationResult pass(QualityMetrics metrics) {
        return new ValidationResult(true, metrics, false, null, null);
    }
}
