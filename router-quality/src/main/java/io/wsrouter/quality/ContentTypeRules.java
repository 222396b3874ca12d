package io.wsrouter.quality;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The per-content-type weights of the overall score (quality-rules.md section 5) and thresholds of
 * the pass rule (section 6), with strict mode. Immutable.
 */
final class ContentTypeRules {

    /** A score that can be weighted or thresholded. */
    enum Metric {
        SPECIFICITY(QualityMetrics::specificityScore),
        ACTIONABILITY(QualityMetrics::actionabilityScore),
        QUANTIFICATION(QualityMetrics::quantificationScore),
        RELEVANCE(QualityMetrics::relevanceScore),
        COMPLETENESS(QualityMetrics::completenessScore),
        CLARITY(QualityMetrics::clarityScore),
        NOVELTY(QualityMetrics::noveltyScore);

        private final ToDoubleFunction<QualityMetrics> reader;

        Metric(ToDoubleFunction<QualityMetrics> reader) {
            this.reader = reader;
        }

        double of(QualityMetrics m) {
            return reader.applyAsDouble(m);
        }
    }

    /**
     * The thresholds of one type. {@code minimums} holds the {@code min_X} present; a {@code max_X}
     * is {@code NaN} when absent.
     */
    record Thresholds(double minScore, Map<Metric, Double> minimums, double maxRedundancy, double maxGenericPhrases) {

        /**
         * Strict mode: minimums x1.2 capped at 1.0 (the legacy rule did not cap, so a strict
         * {@code action_plan} needed actionability 1.08 and could never pass), maximums x0.8.
         */
        Thresholds strict() {
            Map<Metric, Double> mins = new EnumMap<>(Metric.class);
            minimums.forEach((metric, v) -> mins.put(metric, Math.min(v * 1.2, 1.0)));
            return new Thresholds(Math.min(minScore * 1.2, 1.0), Map.copyOf(mins),
                    maxRedundancy * 0.8, maxGenericPhrases * 0.8);
        }
    }

    private static final double ABSENT = Double.NaN;

    private static final Map<ContentType, Map<Metric, Double>> WEIGHTS = new EnumMap<>(ContentType.class);
    private static final Map<ContentType, Thresholds> THRESHOLDS = new EnumMap<>(ContentType.class);

    static {
        WEIGHTS.put(ContentType.OPTIMIZATION, weights(
                Metric.SPECIFICITY, 0.25, Metric.ACTIONABILITY, 0.25, Metric.QUANTIFICATION, 0.20,
                Metric.RELEVANCE, 0.15, Metric.COMPLETENESS, 0.10, Metric.CLARITY, 0.05));
        WEIGHTS.put(ContentType.DATA_ANALYSIS, weights(
                Metric.QUANTIFICATION, 0.30, Metric.SPECIFICITY, 0.20, Metric.RELEVANCE, 0.20,
                Metric.COMPLETENESS, 0.15, Metric.CLARITY, 0.10, Metric.NOVELTY, 0.05));
        WEIGHTS.put(ContentType.ACTION_PLAN, weights(
                Metric.ACTIONABILITY, 0.35, Metric.COMPLETENESS, 0.25, Metric.SPECIFICITY, 0.20,
                Metric.CLARITY, 0.15, Metric.RELEVANCE, 0.05));
        WEIGHTS.put(ContentType.REPORT, weights(
                Metric.COMPLETENESS, 0.25, Metric.CLARITY, 0.20, Metric.SPECIFICITY, 0.20,
                Metric.QUANTIFICATION, 0.15, Metric.RELEVANCE, 0.10, Metric.NOVELTY, 0.10));
        WEIGHTS.put(ContentType.ERROR_MESSAGE, weights(
                Metric.SPECIFICITY, 0.35, Metric.ACTIONABILITY, 0.25, Metric.CLARITY, 0.20,
                Metric.RELEVANCE, 0.15, Metric.COMPLETENESS, 0.05));
        Map<Metric, Double> general = weights(
                Metric.SPECIFICITY, 0.20, Metric.ACTIONABILITY, 0.15, Metric.QUANTIFICATION, 0.15,
                Metric.RELEVANCE, 0.15, Metric.COMPLETENESS, 0.15, Metric.CLARITY, 0.10, Metric.NOVELTY, 0.10);
        WEIGHTS.put(ContentType.GENERAL, general);
        WEIGHTS.put(ContentType.TRIAGE, general);

        THRESHOLDS.put(ContentType.OPTIMIZATION, new Thresholds(0.63,
                Map.of(Metric.SPECIFICITY, 0.6, Metric.ACTIONABILITY, 0.6), ABSENT, ABSENT));
        THRESHOLDS.put(ContentType.DATA_ANALYSIS, new Thresholds(0.6,
                Map.of(Metric.QUANTIFICATION, 0.8, Metric.RELEVANCE, 0.5), ABSENT, ABSENT));
        THRESHOLDS.put(ContentType.ACTION_PLAN, new Thresholds(0.7,
                Map.of(Metric.ACTIONABILITY, 0.9, Metric.COMPLETENESS, 0.8), ABSENT, ABSENT));
        THRESHOLDS.put(ContentType.REPORT, new Thresholds(0.6,
                Map.of(Metric.COMPLETENESS, 0.8), 0.2, ABSENT));
        THRESHOLDS.put(ContentType.ERROR_MESSAGE, new Thresholds(0.5,
                Map.of(Metric.CLARITY, 0.8, Metric.ACTIONABILITY, 0.6), ABSENT, ABSENT));
        Thresholds generalThresholds = new Thresholds(0.5, Map.of(Metric.CLARITY, 0.6), ABSENT, 3);
        THRESHOLDS.put(ContentType.GENERAL, generalThresholds);
        THRESHOLDS.put(ContentType.TRIAGE, generalThresholds);
    }

    private ContentTypeRules() {
    }

    /** @return the weights of the type, in the order of the rules' table; they sum to 1.0 */
    static Map<Metric, Double> weights(ContentType type) {
        return WEIGHTS.get(type);
    }

    static Thresholds thresholds(ContentType type, boolean strict) {
        Thresholds normal = THRESHOLDS.get(type);
        return strict ? normal.strict() : normal;
    }

    /** Section 5: clamp((sum of weight x metric - penalties) / sum of weights). */
    static double overall(ContentType type, QualityMetrics m) {
        double total = 0.0;
        double weightSum = 0.0;
        for (Map.Entry<Metric, Double> e : WEIGHTS.get(type).entrySet()) {
            total += e.getKey().of(m) * e.getValue();
            weightSum += e.getValue();
        }
        total -= penalties(m);
        return ContentScores.clamp(total / weightSum);
    }

    static double penalties(QualityMetrics m) {
        double p = 0.0;
        if (m.genericPhraseCount() > 2) {
            p += 0.1;
        }
        if (m.circularReasoningDetected()) {
            p += 0.2;
        }
        if (m.hallucinationRisk() > 0.5) {
            p += 0.15;
        }
        if (m.redundancyRatio() > 0.3) {
            p += 0.1;
        }
        return p;
    }

    /** Section 6. */
    static boolean passes(QualityMetrics m, Thresholds t) {
        if (m.overallScore() < t.minScore()) {
            return false;
        }
        for (Map.Entry<Metric, Double> e : t.minimums().entrySet()) {
            if (e.getKey().of(m) < e.getValue()) {
                return false;
            }
        }
        if (!Double.isNaN(t.maxRedundancy()) && m.redundancyRatio() > t.maxRedundancy()) {
            return false;
        }
        if (!Double.isNaN(t.maxGenericPhrases()) && m.genericPhraseCount() > t.maxGenericPhrases()) {
            return false;
        }
        return !m.circularReasoningDetected() && m.hallucinationRisk() <= 0.7;
    }

    private static Map<Metric, Double> weights(Object... pairs) {
        Map<Metric, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((Metric) pairs[i], (Double) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
