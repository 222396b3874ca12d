package io.wsrouter.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pass rule (quality-rules.md section 6) on synthetic metrics, threshold by threshold. */
class PassRuleTest {

    private static boolean passes(ContentType type, boolean strict, QualityMetrics m) {
        return ContentTypeRules.passes(m, ContentTypeRules.thresholds(type, strict));
    }

    private static QualityMetrics.Builder general() {
        return QualityMetrics.builder().overallScore(0.65).clarityScore(0.8);
    }

    @Test
    void generalPassesOnScoreClarityAndAtMostThreeGenericPhrases() {
        assertThat(passes(ContentType.GENERAL, false, general().build())).isTrue();
        assertThat(passes(ContentType.GENERAL, false, general().overallScore(0.49).build())).isFalse();
        assertThat(passes(ContentType.GENERAL, false, general().clarityScore(0.59).build())).isFalse();
        assertThat(passes(ContentType.GENERAL, false, general().genericPhraseCount(3).build())).isTrue();
        assertThat(passes(ContentType.GENERAL, false, general().genericPhraseCount(4).build())).isFalse();
    }

    @Test
    void strictGeneralAllowsAtMostTwoGenericPhrases() {
        // max_generic_phrases 3 * 0.8 = 2.4.
        assertThat(passes(ContentType.GENERAL, true, general().genericPhraseCount(2).build())).isTrue();
        assertThat(passes(ContentType.GENERAL, true, general().genericPhraseCount(3).build())).isFalse();
        // min_score 0.5 * 1.2 = 0.6; min_clarity 0.6 * 1.2 = 0.72.
        assertThat(passes(ContentType.GENERAL, true, general().overallScore(0.59).build())).isFalse();
        assertThat(passes(ContentType.GENERAL, true, general().clarityScore(0.71).build())).isFalse();
        assertThat(passes(ContentType.TRIAGE, true, general().clarityScore(0.71).build())).isFalse();
    }

    @Test
    void circularReasoningAndHighHallucinationRiskAlwaysFail() {
        assertThat(passes(ContentType.GENERAL, false, general().circularReasoningDetected(true).build())).isFalse();
        assertThat(passes(ContentType.GENERAL, false, general().hallucinationRisk(0.7).build())).isTrue();
        assertThat(passes(ContentType.GENERAL, false, general().hallucinationRisk(0.71).build())).isFalse();
    }

    @Test
    void reportChecksCompletenessAndRedundancy() {
        QualityMetrics.Builder report = QualityMetrics.builder().overallScore(0.75).completenessScore(1.0);
        assertThat(passes(ContentType.REPORT, false, report.redundancyRatio(0.2).build())).isTrue();
        assertThat(passes(ContentType.REPORT, false, report.redundancyRatio(0.21).build())).isFalse();
        // Strict: max_redundancy 0.2 * 0.8 = 0.16.
        assertThat(passes(ContentType.REPORT, true, report.redundancyRatio(0.16).build())).isTrue();
        assertThat(passes(ContentType.REPORT, true, report.redundancyRatio(0.17).build())).isFalse();
        assertThat(passes(ContentType.REPORT, false, report.redundancyRatio(0).completenessScore(0.79).build())).isFalse();
    }

    @Test
    void optimizationNeedsSpecificityAndActionability() {
        QualityMetrics.Builder opt = QualityMetrics.builder().overallScore(0.7).specificityScore(0.6).actionabilityScore(0.6);
        assertThat(passes(ContentType.OPTIMIZATION, false, opt.build())).isTrue();
        assertThat(passes(ContentType.OPTIMIZATION, false, opt.overallScore(0.62).build())).isFalse();
        // Strict: 0.756 / 0.72 / 0.72.
        QualityMetrics strictBorder = QualityMetrics.builder().overallScore(0.76).specificityScore(0.72)
                .actionabilityScore(0.72).build();
        assertThat(passes(ContentType.OPTIMIZATION, true, strictBorder)).isTrue();
        assertThat(passes(ContentType.OPTIMIZATION, true, strictBorder.toBuilder().specificityScore(0.71).build())).isFalse();
    }

    @Test
    void strictMinimumsAreCappedAtOne() {
        ContentTypeRules.Thresholds strict = ContentTypeRules.thresholds(ContentType.ACTION_PLAN, true);
        assertThat(strict.minimums().get(ContentTypeRules.Metric.ACTIONABILITY)).isEqualTo(1.0);
        assertThat(strict.minScore()).isCloseTo(0.84, org.assertj.core.api.Assertions.within(1e-12));
        QualityMetrics perfect = QualityMetrics.builder().overallScore(0.9).actionabilityScore(1.0)
                .completenessScore(1.0).build();
        assertThat(passes(ContentType.ACTION_PLAN, true, perfect)).isTrue();
    }

    @Test
    void dataAnalysisAndErrorMessageThresholds() {
        QualityMetrics data = QualityMetrics.builder().overallScore(0.6).quantificationScore(0.8).relevanceScore(0.5).build();
        assertThat(passes(ContentType.DATA_ANALYSIS, false, data)).isTrue();
        assertThat(passes(ContentType.DATA_ANALYSIS, false, data.toBuilder().relevanceScore(0.49).build())).isFalse();
        assertThat(passes(ContentType.DATA_ANALYSIS, true, data)).isFalse();
        QualityMetrics error = QualityMetrics.builder().overallScore(0.5).clarityScore(0.8).actionabilityScore(0.6).build();
        assertThat(passes(ContentType.ERROR_MESSAGE, false, error)).isTrue();
        assertThat(passes(ContentType.ERROR_MESSAGE, false, error.toBuilder().clarityScore(0.79).build())).isFalse();
    }

    @Test
    void penaltiesAddUp() {
        QualityMetrics all = QualityMetrics.builder().genericPhraseCount(3).circularReasoningDetected(true)
                .hallucinationRisk(0.51).redundancyRatio(0.31).build();
        assertThat(ContentTypeRules.penalties(all)).isCloseTo(0.55, org.assertj.core.api.Assertions.within(1e-12));
        // Overall with every metric 1.0 for general: (1.0 - 0.55) / 1.0.
        QualityMetrics ones = all.toBuilder().specificityScore(1).actionabilityScore(1).quantificationScore(1)
                .relevanceScore(1).completenessScore(1).clarityScore(1).noveltyScore(1).build();
        assertThat(ContentTypeRules.overall(ContentType.GENERAL, ones)).isCloseTo(0.45, org.assertj.core.api.Assertions.within(1e-9));
    }
}
