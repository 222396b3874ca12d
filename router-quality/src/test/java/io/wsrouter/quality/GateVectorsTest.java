package io.wsrouter.quality;

import static io.wsrouter.quality.HeuristicQualityGate.RETRY_ACTIONABILITY;
import static io.wsrouter.quality.HeuristicQualityGate.RETRY_QUANTIFICATION;
import static io.wsrouter.quality.HeuristicQualityGate.RETRY_SPECIFICITY;
import static io.wsrouter.quality.HeuristicQualityGate.SUGGEST_ACTIONABILITY;
import static io.wsrouter.quality.HeuristicQualityGate.SUGGEST_QUANTIFICATION;
import static io.wsrouter.quality.HeuristicQualityGate.SUGGEST_SPECIFICITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Gate vectors: for each content type a text whose metrics were computed by hand from
 * reference/quality-rules.md (the working is next to each expected value), validated by a fresh
 * default gate (so novelty is 0.8 on first sight).
 */
class GateVectorsTest {

    private static final Offset<Double> EPS = within(1e-9);

    private final QualityGateService gate = QualityGateService.builder().build();

    @Test
    void optimizationVector() {
        String text = "Set batch_size=32 and enable quantization to cut p99 latency from 120ms to 80ms.";
        ValidationResult r = gate.validate(text, ContentType.OPTIMIZATION);
        QualityMetrics m = r.metrics();
        // Tokens: Set|batch_size=32|and|enable|quantization|to|cut|p99|latency|from|120ms|to|80ms. = 13.
        assertThat(m.wordCount()).isEqualTo(13);
        // Split on [.!?]+: "Set ... 80ms" and "" = 2 raw sentences (1 non-blank).
        assertThat(m.sentenceCount()).isEqualTo(2);
        // NUMERIC: "32" (after '='), "120ms", "80ms"; "99" in p99 has no \b before it = 3.
        assertThat(m.numericValuesCount()).isEqualTo(3);
        assertThat(m.genericPhraseCount()).isZero();
        assertThat(m.circularReasoningDetected()).isFalse();
        // Domain terms contained: latency, quantization, p99, ms = 4.
        assertThat(m.specificTermsCount()).isEqualTo(4);
        // Specificity: 0.05*4 = 0.2; units "120ms","80ms" -> 0.1*2 = 0.2; batch_size=32 -> 0.15;
        // no vague term; optimization bonus: quantization -> 0.1. Total 0.65.
        assertThat(m.specificityScore()).isCloseTo(0.65, EPS);
        // Actionability: verbs "set", "enable" -> 0.08*2 = 0.16; no step marker, command, path or hedge.
        assertThat(m.actionabilityScore()).isCloseTo(0.16, EPS);
        // Quantification: time "120ms","80ms" -> min(0.3, 0.3) = 0.3; "from 120ms to 80ms" -> +0.2;
        // named figure "latency from 120" -> {latency} -> +0.1. Total 0.6.
        assertThat(m.quantificationScore()).isCloseTo(0.6, EPS);
        assertThat(m.relevanceScore()).isCloseTo(0.5, EPS);      // no context
        // Completeness (optimization): none of improve/reduce/increase/optimize/change = 0/5.
        assertThat(m.completenessScore()).isCloseTo(0.0, EPS);
        // Clarity: 13 words / 1 sentence, no acronym, parenthesis, comma or structure word = 1.0.
        assertThat(m.clarityScore()).isCloseTo(1.0, EPS);
        assertThat(m.noveltyScore()).isCloseTo(0.8, EPS);
        assertThat(m.redundancyRatio()).isCloseTo(0.0, EPS);    // one sentence
        assertThat(m.hallucinationRisk()).isCloseTo(0.0, EPS);  // no 4-digit number, claim or impossibility
        // Overall: .25*.65 + .25*.16 + .20*.6 + .15*.5 + .10*0 + .05*1 = .1625+.04+.12+.075+0+.05 = 0.4475.
        assertThat(m.overallScore()).isCloseTo(0.4475, EPS);
        assertThat(m.qualityLevel()).isEqualTo(QualityLevel.POOR);
        assertThat(m.issues()).isEmpty();
        assertThat(m.suggestions()).containsExactly(SUGGEST_ACTIONABILITY);
        // min_score 0.63 not met.
        assertThat(r.passed()).isFalse();
        assertThat(r.retrySuggested()).isTrue();
        assertThat(r.retryPromptAdjustments())
                .containsEntry("temperature", 0.3)
                .containsEntry("additional_instructions", List.of(RETRY_ACTIONABILITY));
        assertThat(r.fallbackResponse()).isNull();
    }

    @Test
    void dataAnalysisVectorWithContext() {
        String text = "The data shows a clear trend: p95 latency rose 25% after the deploy, from 200ms to 250ms. "
                + "Conclusion: the cache is too small.";
        ValidationResult r = gate.validate(text, ContentType.DATA_ANALYSIS,
                Map.of("user_request", "Why did latency rise after the deploy?"), false);
        QualityMetrics m = r.metrics();
        assertThat(m.wordCount()).isEqualTo(23);
        // "...250ms" | " Conclusion: ... small" | "" = 3.
        assertThat(m.sentenceCount()).isEqualTo(3);
        // "25" (the % is dropped: no \b between '%' and ' '), "200ms", "250ms" = 3.
        assertThat(m.numericValuesCount()).isEqualTo(3);
        // latency, cache, p95, ms = 4.
        assertThat(m.specificTermsCount()).isEqualTo(4);
        // Specificity: 0.05*4 = 0.2; units "200ms","250ms" (not "25%": no \b after '%') = 0.2. Total 0.4.
        assertThat(m.specificityScore()).isCloseTo(0.4, EPS);
        // Actionability: no verb, step marker, command, path or hedge = 0.
        assertThat(m.actionabilityScore()).isCloseTo(0.0, EPS);
        // Quantification: percentage "25%" 0.15; time "200ms","250ms" 0.3; from..200..to..250 +0.2;
        // "latency rose 25" -> {latency} +0.1. Total 0.75.
        assertThat(m.quantificationScore()).isCloseTo(0.75, EPS);
        // Relevance: R = {why,did,latency,rise,after,the,deploy?}; R∩C = {latency,after,the} ->
        // overlap = min(3/7*0.8, 0.4) = 0.342857...; no mapped word; T = {latency,after,deploy?}, found
        // latency and after -> min(2/3, 0.5)*0.4 = 0.2. Total 0.542857...
        assertThat(m.relevanceScore()).isCloseTo(3.0 / 7 * 0.8 + 0.2, EPS);
        // Completeness: data, trend, conclusion of 5 = 0.6.
        assertThat(m.completenessScore()).isCloseTo(0.6, EPS);
        // Clarity: 23/2 = 11.5 words per sentence, 1 comma <= 6, no acronym = 1.0.
        assertThat(m.clarityScore()).isCloseTo(1.0, EPS);
        assertThat(m.noveltyScore()).isCloseTo(0.8, EPS);
        // Sentence sets share only "the": 1/min(16,6) < 0.7.
        assertThat(m.redundancyRatio()).isCloseTo(0.0, EPS);
        assertThat(m.hallucinationRisk()).isCloseTo(0.0, EPS);
        // Overall: .30*.75 + .20*.4 + .20*.542857 + .15*.6 + .10*1 + .05*.8 = 0.643571...
        assertThat(m.overallScore()).isCloseTo(0.225 + 0.08 + 0.2 * (3.0 / 7 * 0.8 + 0.2) + 0.09 + 0.1 + 0.04, EPS);
        assertThat(m.qualityLevel()).isEqualTo(QualityLevel.ACCEPTABLE);
        assertThat(m.suggestions()).containsExactly(SUGGEST_SPECIFICITY, SUGGEST_ACTIONABILITY);
        // min_score 0.6 met, min_quantification 0.8 not met (0.75).
        assertThat(r.passed()).isFalse();
        assertThat(r.retryPromptAdjustments())
                .containsEntry("additional_instructions", List.of(RETRY_SPECIFICITY, RETRY_ACTIONABILITY));
    }

    /** Also the strict-mode vector: it passes strict only because strict minimums are capped at 1.0. */
    static final String ACTION_PLAN = "Step 1: install redis and set maxmemory to 512MB. "
            + "Step 2: edit /etc/redis/redis.conf to enable the cache. "
            + "Step 3: run `redis-cli info` and check latency under 5ms. "
            + "Requirement, timeline, outcome and verification: done in one day.";

    @Test
    void actionPlanVector() {
        ValidationResult r = gate.validate(ACTION_PLAN, ContentType.ACTION_PLAN);
        QualityMetrics m = r.metrics();
        assertThat(m.wordCount()).isEqualTo(36);
        // "redis.conf" splits too: 5 non-blank pieces + the empty one after the last '.' = 6.
        assertThat(m.sentenceCount()).isEqualTo(6);
        // "1", "512MB", "2", "3", "5ms" = 5.
        assertThat(m.numericValuesCount()).isEqualTo(5);
        // latency, cache, memory (in maxmemory), ms (in 5ms), tco (in ou-tco-me: "contains" has no
        // word boundaries) = 5.
        assertThat(m.specificTermsCount()).isEqualTo(5);
        // Specificity: 0.05*5 = 0.25; units "512MB","5ms" = 0.2. Total 0.45.
        assertThat(m.specificityScore()).isCloseTo(0.45, EPS);
        // Actionability: set, install, run, enable, edit -> min(0.4, 0.4); "step 1" +0.2;
        // inline code +0.3; paths "/etc/redis/redis.conf" and "redis.conf" -> min(0.3, 0.3);
        // 1.2 clamped to 1.0.
        assertThat(m.actionabilityScore()).isCloseTo(1.0, EPS);
        // Completeness: step, requirement, timeline, outcome, verification = 5/5.
        assertThat(m.completenessScore()).isCloseTo(1.0, EPS);
        // Quantification: time "5ms" 0.15; size "512MB" 0.15; "latency under 5" +0.1 = 0.4.
        assertThat(m.quantificationScore()).isCloseTo(0.4, EPS);
        // Clarity: 36/5 words per sentence; 2 commas <= 15 = 1.0.
        assertThat(m.clarityScore()).isCloseTo(1.0, EPS);
        // 10 sentence pairs, the largest overlap is {step}/4 = 0.25.
        assertThat(m.redundancyRatio()).isCloseTo(0.0, EPS);
        assertThat(m.hallucinationRisk()).isCloseTo(0.0, EPS);
        assertThat(m.relevanceScore()).isCloseTo(0.5, EPS);
        // Overall: .35*1 + .25*1 + .20*.45 + .15*1 + .05*.5 = 0.865.
        assertThat(m.overallScore()).isCloseTo(0.865, EPS);
        assertThat(m.qualityLevel()).isEqualTo(QualityLevel.GOOD);
        assertThat(m.suggestions()).containsExactly(SUGGEST_SPECIFICITY, SUGGEST_QUANTIFICATION);
        // 0.865 >= 0.7, actionability 1.0 >= 0.9, completeness 1.0 >= 0.8: pass, no retry advice.
        assertThat(r.passed()).isTrue();
        assertThat(r.retrySuggested()).isFalse();
        assertThat(r.retryPromptAdjustments()).isNull();
    }

    @Test
    void reportVector() {
        String text = "Summary: latency fell. Finding: the cache hit rate rose to 90%. "
                + "Recommendation: keep the cache. Summary: latency fell.";
        ValidationResult r = gate.validate(text, ContentType.REPORT);
        QualityMetrics m = r.metrics();
        assertThat(m.wordCount()).isEqualTo(18);
        assertThat(m.sentenceCount()).isEqualTo(5);
        assertThat(m.numericValuesCount()).isEqualTo(1);       // "90" (the % is dropped)
        // latency, cache = 2 ("summary" and "recommendation" hold no "ms").
        assertThat(m.specificTermsCount()).isEqualTo(2);
        assertThat(m.specificityScore()).isCloseTo(0.1, EPS);  // 0.05*2; "90%." is no unit value
        assertThat(m.actionabilityScore()).isCloseTo(0.0, EPS);
        assertThat(m.quantificationScore()).isCloseTo(0.15, EPS); // percentage "90%"
        // Completeness: summary, finding, recommendation of 5 = 0.6.
        assertThat(m.completenessScore()).isCloseTo(0.6, EPS);
        assertThat(m.clarityScore()).isCloseTo(1.0, EPS);
        // 4 sentences, 6 pairs; only "summary: latency fell" twice repeats (the pair sharing
        // {the, cache} has 2/4 = 0.5). Ratio 1/6.
        assertThat(m.redundancyRatio()).isCloseTo(1.0 / 6, EPS);
        assertThat(m.noveltyScore()).isCloseTo(0.8, EPS);
        // Overall: .25*.6 + .20*1 + .20*.1 + .15*.15 + .10*.5 + .10*.8 = 0.5225; no penalty (1/6 <= 0.3).
        assertThat(m.overallScore()).isCloseTo(0.5225, EPS);
        assertThat(m.qualityLevel()).isEqualTo(QualityLevel.ACCEPTABLE);
        assertThat(m.suggestions()).containsExactly(SUGGEST_SPECIFICITY, SUGGEST_ACTIONABILITY, SUGGEST_QUANTIFICATION);
        assertThat(r.passed()).isFalse();                      // 0.5225 < 0.6
        assertThat(r.retryPromptAdjustments()).containsEntry("additional_instructions",
                List.of(RETRY_SPECIFICITY, RETRY_ACTIONABILITY, RETRY_QUANTIFICATION));
    }

    @Test
    void errorMessageVector() {
        String text = "ERROR: connection timeout after 30 seconds on db-primary:5432. "
                + "Rollback the transaction, then set pool_size=20.";
        ValidationResult r = gate.validate(text, ContentType.ERROR_MESSAGE);
        QualityMetrics m = r.metrics();
        assertThat(m.wordCount()).isEqualTo(14);
        assertThat(m.sentenceCount()).isEqualTo(3);
        assertThat(m.numericValuesCount()).isEqualTo(3);       // "30", "5432", "20"
        assertThat(m.specificTermsCount()).isZero();
        // Specificity: no domain term, unit value or model parameter. Error bonus: error_codes
        // "pool_size" 0.2, database_connections "pool_size=20" 0.2, log_levels "ERROR: " 0.2,
        // port_numbers ":5432" 0.2, configuration_keys "pool_size=20" 0.2 -> s = 1.0; error terms
        // timeout, connection, transaction, rollback, error -> min(0.4, 0.25); min(1.25, 0.8) = 0.8.
        assertThat(m.specificityScore()).isCloseTo(0.8, EPS);
        // Actionability: "set" 0.08; "then" +0.2; error bonus: no action word, "rollback" +0.2 -> 0.48.
        assertThat(m.actionabilityScore()).isCloseTo(0.48, EPS);
        // Quantification: "30 seconds" 0.15; "pool_size=20" -> min(min(0.1, 0.2) + 0, 0.15) = 0.1. 0.25.
        assertThat(m.quantificationScore()).isCloseTo(0.25, EPS);
        // Clarity: 1 acronym, 1 comma; "seconds" contains "second" +0.1 -> clamped 1.0.
        assertThat(m.clarityScore()).isCloseTo(1.0, EPS);
        // Completeness (other types): 3 raw sentences +0.3; 14 tokens < 50; no however/but/because/due to.
        assertThat(m.completenessScore()).isCloseTo(0.3, EPS);
        // Hallucination: "5432" has 4 digits and there is no data_source +0.2.
        assertThat(m.hallucinationRisk()).isCloseTo(0.2, EPS);
        // Overall: .35*.8 + .25*.48 + .20*1 + .15*.5 + .05*.3 = .28+.12+.2+.075+.015 = 0.69.
        assertThat(m.overallScore()).isCloseTo(0.69, EPS);
        assertThat(m.qualityLevel()).isEqualTo(QualityLevel.ACCEPTABLE);
        assertThat(m.suggestions()).containsExactly(SUGGEST_ACTIONABILITY, SUGGEST_QUANTIFICATION);
        assertThat(r.passed()).isFalse();                      // actionability 0.48 < 0.6
        assertThat(r.retryPromptAdjustments()).containsEntry("additional_instructions",
                List.of(RETRY_ACTIONABILITY, RETRY_QUANTIFICATION));
    }

    @Test
    void generalVectorWithGenericPhrase() {
        String text = "In general, caching helps because memory is fast. However, the cache must be sized first.";
        ValidationResult r = gate.validate(text, ContentType.GENERAL);
        QualityMetrics m = r.metrics();
        assertThat(m.wordCount()).isEqualTo(15);
        assertThat(m.sentenceCount()).isEqualTo(3);
        assertThat(m.genericPhraseCount()).isEqualTo(1);       // "In general"
        assertThat(m.issues()).containsExactly("Contains 1 generic phrases");
        // cache, memory = 2 ("caching" holds no "cache").
        assertThat(m.specificityScore()).isCloseTo(0.1, EPS);
        assertThat(m.actionabilityScore()).isCloseTo(0.2, EPS);    // "first" is a step marker
        assertThat(m.quantificationScore()).isCloseTo(0.0, EPS);
        // Completeness: 3 raw sentences 0.3 + "however" 0.2 + "because" 0.2 = 0.7.
        assertThat(m.completenessScore()).isCloseTo(0.7, EPS);
        assertThat(m.clarityScore()).isCloseTo(1.0, EPS);          // 1.0 + 0.1 ("first"), clamped
        // Overall: .20*.1 + .15*.2 + .15*0 + .15*.5 + .15*.7 + .10*1 + .10*.8 = 0.41.
        assertThat(m.overallScore()).isCloseTo(0.41, EPS);
        assertThat(m.qualityLevel()).isEqualTo(QualityLevel.POOR);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void triageIsScoredLikeGeneral() {
        String text = "In general, caching helps because memory is fast. However, the cache must be sized first.";
        QualityMetrics general = QualityGateService.builder().build().validate(text, ContentType.GENERAL).metrics();
        QualityMetrics triage = QualityGateService.builder().build().validate(text, ContentType.TRIAGE).metrics();
        assertThat(triage.overallScore()).isCloseTo(general.overallScore(), EPS);
        assertThat(triage.overallScore()).isCloseTo(0.41, EPS);
    }
}
