package io.wsrouter.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The default gate's behaviour around the scores: strict mode, novelty, cache, errors, statistics, fixes. */
class HeuristicQualityGateTest {

    private static final Offset<Double> EPS = within(1e-9);

    /** {@link GateVectorsTest#ACTION_PLAN} without the inline code: actionability 1.2 - 0.3 = 0.9. */
    private static final String PLAN_WITHOUT_CODE = GateVectorsTest.ACTION_PLAN.replace("`", "");

    @Test
    void strictActionPlanCanPassBecauseStrictMinimumsAreCappedAtOne() {
        QualityGateService gate = QualityGateService.builder().build();
        ValidationResult strict = gate.validate(GateVectorsTest.ACTION_PLAN, ContentType.ACTION_PLAN, null, true);
        // overall 0.865 >= 0.7*1.2 = 0.84; actionability 1.0 >= min(0.9*1.2, 1.0); completeness 1.0 >= 0.96.
        assertThat(strict.metrics().overallScore()).isCloseTo(0.865, EPS);
        assertThat(strict.passed()).isTrue();
    }

    @Test
    void strictModeRaisesTheThresholds() {
        QualityGateService gate = QualityGateService.builder().build();
        ValidationResult normal = gate.validate(PLAN_WITHOUT_CODE, ContentType.ACTION_PLAN, null, false);
        ValidationResult strict = gate.validate(PLAN_WITHOUT_CODE, ContentType.ACTION_PLAN, null, true);
        // Actionability 0.4 + 0.2 + 0.3 = 0.9; overall .35*.9 + .25 + .2*.45 + .15 + .025 = 0.83.
        assertThat(normal.metrics().actionabilityScore()).isCloseTo(0.9, EPS);
        assertThat(normal.metrics().overallScore()).isCloseTo(0.83, EPS);
        assertThat(normal.passed()).isTrue();        // 0.83 >= 0.7 and 0.9 >= 0.9
        assertThat(strict.metrics().overallScore()).isCloseTo(0.83, EPS);
        assertThat(strict.passed()).isFalse();       // 0.83 < 0.84 and 0.9 < 1.0
        assertThat(strict.retrySuggested()).isTrue();
        assertThat(strict.retryPromptAdjustments()).containsEntry("temperature", 0.3);
    }

    @Test
    void noveltyIsZeroForATextSeenRecentlyAndPointEightForANewOne() {
        QualityGateService gate = QualityGateService.builder().build();
        String text = "Enable KV cache reuse.";
        assertThat(gate.validate(text, ContentType.GENERAL).metrics().noveltyScore()).isCloseTo(0.8, EPS);
        // Another type misses the cache, so the text is scored again and its hash was seen.
        assertThat(gate.validate(text, ContentType.REPORT).metrics().noveltyScore()).isCloseTo(0.0, EPS);
        assertThat(gate.validate("Something else.", ContentType.REPORT).metrics().noveltyScore()).isCloseTo(0.8, EPS);
    }

    @Test
    void noveltyIsOneHalfWhenTheHashStoreFails() {
        QualityGateService gate = QualityGateService.builder()
                .recentHashStore(hash -> {
                    throw new IllegalStateException("store down");
                })
                .build();
        ValidationResult r = gate.validate("Enable KV cache reuse.", ContentType.GENERAL);
        assertThat(r.metrics().noveltyScore()).isCloseTo(0.5, EPS);
        assertThat(r.metrics().issues()).isEmpty();
    }

    @Test
    void inMemoryHashStoreForgetsBeyondItsWindow() throws Exception {
        RecentHashStore store = RecentHashStore.inMemory(2, 3);
        assertThat(store.seenOrRecord("a")).isFalse();
        assertThat(store.seenOrRecord("a")).isTrue();
        assertThat(store.seenOrRecord("b")).isFalse();
        assertThat(store.seenOrRecord("c")).isFalse();
        assertThat(store.seenOrRecord("a")).isFalse();   // "a" is third most recent: outside the window of 2
        assertThatThrownBy(() -> RecentHashStore.inMemory(0, 3)).hasMessage("window must be > 0 but was 0");
        assertThatThrownBy(() -> RecentHashStore.inMemory(5, 3))
                .hasMessage("capacity must be >= window (5) but was 3");
    }

    @Test
    void cacheHitReturnsTheSameResultAndConsultsNothing() {
        AtomicInteger lookups = new AtomicInteger();
        QualityGateService gate = QualityGateService.builder()
                .recentHashStore(hash -> lookups.incrementAndGet() > 1)
                .build();
        ValidationResult first = gate.validate("Reduce p99 latency.", ContentType.OPTIMIZATION);
        ValidationResult second = gate.validate("Reduce p99 latency.", ContentType.OPTIMIZATION);
        assertThat(second).isSameAs(first);
        assertThat(lookups).hasValue(1);
        assertThat(gate.statistics().get(ContentType.OPTIMIZATION).count()).isEqualTo(1);   // hits are not recorded
    }

    @Test
    void cacheKeyIncludesTheContextFingerprint() {
        QualityGateService gate = QualityGateService.builder().build();
        String text = "Enable mixed precision to cut graphics card memory consumption by 40%.";
        ValidationResult noContext = gate.validate(text, ContentType.GENERAL);
        ValidationResult withRequest = gate.validate(text, ContentType.GENERAL,
                Map.of("user_request", "reduce gpu memory usage"), false);
        ValidationResult withSource = gate.validate(text, ContentType.GENERAL,
                Map.of("user_request", "reduce gpu memory usage", "data_source", "bench"), false);
        assertThat(noContext.metrics().relevanceScore()).isCloseTo(0.5, EPS);
        // overlap {memory}: 1/4*0.8 = 0.2; mapped: gpu->graphics, memory->consumption, usage->consumption
        // -> min(0.6, 0.6); long words {reduce, memory, usage}, only memory found -> 1/3*0.4. Total 0.9333.
        assertThat(withRequest.metrics().relevanceScore()).isCloseTo(0.2 + 0.6 + 0.4 / 3, EPS);
        assertThat(withSource).isNotSameAs(withRequest);
        assertThat(gate.validate(text, ContentType.GENERAL, Map.of("user_request", "reduce gpu memory usage"), false))
                .isSameAs(withRequest);
    }

    @Test
    void cacheIsBoundedAndCanBeCleared() {
        HeuristicQualityGate gate = (HeuristicQualityGate) QualityGateService.builder().cacheSize(3).build();
        for (int i = 0; i < 10; i++) {
            gate.validate("text number " + i, ContentType.GENERAL);
        }
        assertThat(gate.cacheSize()).isEqualTo(3);
        gate.clearCache();
        assertThat(gate.cacheSize()).isZero();
        HeuristicQualityGate uncached = (HeuristicQualityGate) QualityGateService.builder().cacheSize(0).build();
        ValidationResult a = uncached.validate("same", ContentType.GENERAL);
        assertThat(uncached.validate("same", ContentType.GENERAL)).isNotSameAs(a);
        assertThat(uncached.cacheSize()).isZero();
    }

    @Test
    void historyIsBoundedPerContentType() {
        HeuristicQualityGate gate = (HeuristicQualityGate) QualityGateService.builder().historySize(5).build();
        for (int i = 0; i < 8; i++) {
            gate.validate("text " + i, ContentType.REPORT);
            gate.validate("text " + i, ContentType.TRIAGE);
        }
        assertThat(gate.historySize()).isEqualTo(10);
    }

    @Test
    void statisticsSummariseTheLastValidationsPerType() {
        QualityGateService gate = QualityGateService.builder().build();
        gate.validate("Set batch_size=32 and enable quantization to cut p99 latency from 120ms to 80ms.",
                ContentType.OPTIMIZATION);                                           // 0.4475, poor
        gate.validate(GateVectorsTest.ACTION_PLAN, ContentType.OPTIMIZATION);       // another score
        QualityStats stats = gate.statistics().get(ContentType.OPTIMIZATION);
        assertThat(stats.count()).isEqualTo(2);
        assertThat(stats.minScore()).isCloseTo(0.4475, EPS);
        assertThat(stats.averageScore()).isCloseTo((stats.minScore() + stats.maxScore()) / 2, EPS);
        assertThat(stats.qualityDistribution()).containsOnlyKeys("excellent", "good", "acceptable", "poor", "unacceptable");
        assertThat(stats.qualityDistribution().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        assertThat(stats.failureRate()).isCloseTo(stats.maxScore() < 0.5 ? 1.0 : 0.5, EPS);
        assertThat(gate.statistics()).containsOnlyKeys(ContentType.OPTIMIZATION);
    }

    @Test
    void capitalisedDomainAndErrorTermsMatch() {
        QualityGateService gate = QualityGateService.builder().build();
        // GPU, TPU, QPS and KV cache (which contains "cache") are found: legacy bug 1 is fixed.
        QualityMetrics m = gate.validate("Move the KV cache from GPU to TPU for QPS.", ContentType.GENERAL).metrics();
        assertThat(m.specificTermsCount()).isEqualTo(5);   // cache, gpu, tpu, qps, kv cache
        assertThat(m.specificityScore()).isCloseTo(0.25, EPS);
        // Error terms TCP, HTTP, TLS count too: 0.08 * 3 = 0.24 (and nothing else applies).
        QualityMetrics e = gate.validate("TCP then HTTP over TLS", ContentType.ERROR_MESSAGE).metrics();
        assertThat(e.specificityScore()).isCloseTo(0.24, EPS);
    }

    @Test
    void circularReasoningIsFoundWithinOneLineOnly() {
        QualityGateService gate = QualityGateService.builder().build();
        QualityMetrics circular = gate.validate("To improve latency, you should improve the latency.",
                ContentType.GENERAL).metrics();
        assertThat(circular.circularReasoningDetected()).isTrue();
        assertThat(circular.issues()).contains("Circular reasoning detected");
        // The legacy regex's ".*" does not cross a newline.
        QualityMetrics split = gate.validate("Optimize the cache.\nby optimizing it", ContentType.GENERAL).metrics();
        assertThat(split.circularReasoningDetected()).isFalse();
        QualityMetrics sameLine = gate.validate("Optimize the cache by optimizing it", ContentType.GENERAL).metrics();
        assertThat(sameLine.circularReasoningDetected()).isTrue();
        // Penalty 0.2 on the overall score.
        assertThat(ContentTypeRules.penalties(sameLine)).isCloseTo(0.2, EPS);
    }

    @Test
    void vagueTermsAreCountedAndCostSpecificity() {
        QualityGateService gate = QualityGateService.builder().build();
        QualityMetrics m = gate.validate("Just optimize it and make it better.", ContentType.OPTIMIZATION).metrics();
        // "Just optimize" and "make it better" (and "optimize it" overlaps "Just optimize": non-overlapping count 2).
        assertThat(m.issues()).containsExactly("Contains 2 vague optimization terms without specifics");
        assertThat(m.specificityScore()).isCloseTo(0.0, EPS);   // -0.2, clamped
    }

    @Test
    void hallucinationRiskCountsClaimsUnlessThereIsEvidence() {
        QualityGateService gate = QualityGateService.builder().build();
        // "studies show" 0.1 + "always" 0.1 + "100% improvement" 0.3; "100" has 3 digits.
        assertThat(gate.validate("Studies show caching always gives 100% improvement.", ContentType.GENERAL)
                .metrics().hallucinationRisk()).isCloseTo(0.5, EPS);
        // "According to" is evidence (case-insensitive here; the legacy regex missed it): claims cancelled;
        // "2023" is a 4-digit number without data_source: 0.2.
        String sourced = "According to the 2023 benchmark, caching always helps.";
        assertThat(gate.validate(sourced, ContentType.GENERAL).metrics().hallucinationRisk()).isCloseTo(0.2, EPS);
        assertThat(gate.validate(sourced, ContentType.GENERAL, Map.of("data_source", "bench"), false)
                .metrics().hallucinationRisk()).isCloseTo(0.0, EPS);
    }

    @Test
    void highHallucinationRiskFailsTheText() {
        QualityGateService gate = QualityGateService.builder().build();
        // 0.2 (4 digits) + 0.1 * 4 claims + 0.3 = 0.9 > 0.7.
        ValidationResult r = gate.validate("Studies show research indicates it is always guaranteed: zero latency in 2024.",
                ContentType.GENERAL);
        assertThat(r.metrics().hallucinationRisk()).isCloseTo(0.9, EPS);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void aLongLineWithoutTheSecondStepIsDecidedInLinearTime() {
        QualityGateService gate = QualityGateService.builder().build();
        // With backtracking, "(from|before).*\d+.*to.*\d+" is cubic on this line; here it is a scan.
        String line = "from 1 ".repeat(4_000);
        QualityMetrics m = gate.validate(line, ContentType.GENERAL).metrics();
        assertThat(m.quantificationScore()).isCloseTo(0.0, EPS);
        QualityMetrics withTo = gate.validate(line + "to 2", ContentType.GENERAL).metrics();
        assertThat(withTo.quantificationScore()).isCloseTo(0.2, EPS);
    }

    @Test
    void manyRepeatedSentencesAreAllRedundant() {
        QualityGateService gate = QualityGateService.builder().build();
        QualityMetrics m = gate.validate("Use a cache. ".repeat(2_000), ContentType.REPORT).metrics();
        assertThat(m.redundancyRatio()).isCloseTo(1.0, EPS);
        assertThat(ContentTypeRules.penalties(m)).isCloseTo(0.1, EPS);
    }

    @Test
    void errorResultHasTheLegacyShape() {
        ValidationResult r = HeuristicQualityGate.errorResult(new IllegalStateException("boom"));
        assertThat(r.passed()).isFalse();
        assertThat(r.retrySuggested()).isFalse();
        assertThat(r.retryPromptAdjustments()).isNull();
        assertThat(r.metrics().overallScore()).isZero();
        assertThat(r.metrics().qualityLevel()).isEqualTo(QualityLevel.UNACCEPTABLE);
        assertThat(r.metrics().issues()).containsExactly("Validation error: boom");
    }

    @Test
    void nullArgumentsAreRejected() {
        QualityGateService gate = QualityGateService.builder().build();
        assertThatThrownBy(() -> gate.validate(null, ContentType.GENERAL)).hasMessage("content");
        assertThatThrownBy(() -> gate.validate("x", null)).hasMessage("type");
        assertThatThrownBy(() -> QualityGateService.builder().cacheSize(-1))
                .hasMessage("cacheSize must be >= 0 but was -1");
        assertThatThrownBy(() -> QualityGateService.builder().historySize(0))
                .hasMessage("historySize must be > 0 but was 0");
    }

    @Test
    void batchValidatesInOrder() {
        QualityGateService gate = QualityGateService.builder().build();
        List<ValidationResult> results = gate.validateBatch(List.of(
                Map.entry(GateVectorsTest.ACTION_PLAN, ContentType.ACTION_PLAN),
                Map.entry("In general, it is fine.", ContentType.GENERAL)), null);
        assertThat(results).hasSize(2);
        assertThat(results.get(0).passed()).isTrue();
        assertThat(results.get(1).metrics().genericPhraseCount()).isEqualTo(1);
    }

    @Test
    void contentTypesAndLevelsMapFromTheWire() {
        assertThat(ContentType.fromWire("Data_Analysis")).isEqualTo(ContentType.DATA_ANALYSIS);
        assertThat(ContentType.fromWire("error")).isEqualTo(ContentType.ERROR_MESSAGE);
        assertThat(ContentType.fromWire("error_message")).isEqualTo(ContentType.ERROR_MESSAGE);
        assertThat(ContentType.fromWire("poetry")).isEqualTo(ContentType.GENERAL);
        assertThat(ContentType.fromWire(null)).isEqualTo(ContentType.GENERAL);
        assertThat(QualityLevel.fromScore(0.9)).isEqualTo(QualityLevel.EXCELLENT);
        assertThat(QualityLevel.fromScore(0.8999)).isEqualTo(QualityLevel.GOOD);
        assertThat(QualityLevel.fromScore(0.7)).isEqualTo(QualityLevel.GOOD);
        assertThat(QualityLevel.fromScore(0.5)).isEqualTo(QualityLevel.ACCEPTABLE);
        assertThat(QualityLevel.fromScore(0.3)).isEqualTo(QualityLevel.POOR);
        assertThat(QualityLevel.fromScore(0.2999)).isEqualTo(QualityLevel.UNACCEPTABLE);
        assertThat(QualityLevel.fromWire("Good")).isEqualTo(QualityLevel.GOOD);
    }
}
