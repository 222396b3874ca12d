package io.wsrouter.quality;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every figure a {@link QualityGateService} measured on one text. Immutable; the lists are
 * unmodifiable copies. Scores are in [0, 1]; counts are never negative.
 *
 * <p>On the wire the components are snake_case ({@code specificity_score},
 * {@code circular_reasoning_detected}, {@code quality_level}, ...), the legacy field names.
 *
 * <p>Custom gates build one with {@link #builder()}; unset figures default to 0, {@code false} and
 * empty lists, and the quality level to {@link QualityLevel#fromScore(double)} of the overall score:
 * <pre>{@code
 * QualityMetrics m = QualityMetrics.builder()
 *         .specificityScore(0.8).actionabilityScore(0.6)
 *         .overallScore(0.7)                  // quality level GOOD unless set
 *         .issues(List.of("Contains 1 generic phrases"))
 *         .build();
 * }</pre>
 *
 * @param specificityScore          domain terms, units, parameters; see the default gate's rules
 * @param actionabilityScore        verbs, steps, commands, paths
 * @param quantificationScore       numbers with units, before/after figures
 * @param relevanceScore            overlap with the context's {@code user_request} (0.5 without one)
 * @param completenessScore         coverage of what the content type requires
 * @param noveltyScore              0 for a text seen recently, 0.8 for a new one, 0.5 when unknown
 * @param clarityScore              sentence length, acronyms, parentheses, commas
 * @param genericPhraseCount        filler phrases found
 * @param circularReasoningDetected whether a circular pattern ("improve ... to improve") was found
 * @param hallucinationRisk         unsupported claims, big numbers without a data source
 * @param redundancyRatio           share of sentence pairs that repeat each other
 * @param wordCount                 whitespace-separated tokens
 * @param sentenceCount             pieces between sentence punctuation, empty pieces included (legacy count)
 * @param numericValuesCount        numbers, with or without a unit
 * @param specificTermsCount        domain terms found (always 0 in the legacy gate)
 * @param overallScore              the weighted score, less penalties, in [0, 1]
 * @param qualityLevel              the band of the overall score
 * @param issues                    problems found, for people
 * @param suggestions               improvements, for people
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QualityMetrics(
        double specificityScore,
        double actionabilityScore,
        double quantificationScore,
        double relevanceScore,
        double completenessScore,
        double noveltyScore,
        double clarityScore,
        int genericPhraseCount,
        boolean circularReasoningDetected,
        double hallucinationRisk,
        double redundancyRatio,
        int wordCount,
        int sentenceCount,
        int numericValuesCount,
        int specificTermsCount,
        double overallScore,
        QualityLevel qualityLevel,
        List<String> issues,
        List<String> suggestions) {

    /**
     * Copies the lists.
     *
     * @param specificityScore          domain terms, units, parameters; see the default gate's rules
     * @param actionabilityScore        verbs, steps, commands, paths
     * @param quantificationScore       numbers with units, before/after figures
     * @param relevanceScore            overlap with the context's {@code user_request} (0.5 without one)
     * @param completenessScore         coverage of what the content type requires
     * @param noveltyScore              0 for a text seen recently, 0.8 for a new one, 0.5 when unknown
     * @param clarityScore              sentence length, acronyms, parentheses, commas
     * @param genericPhraseCount        filler phrases found
     * @param circularReasoningDetected whether a circular pattern ("improve ... to improve") was found
     * @param hallucinationRisk         unsupported claims, big numbers without a data source
     * @param redundancyRatio           share of sentence pairs that repeat each other
     * @param wordCount                 whitespace-separated tokens
     * @param sentenceCount             pieces between sentence punctuation, empty pieces included (legacy count)
     * @param numericValuesCount        numbers, with or without a unit
     * @param specificTermsCount        domain terms found (always 0 in the legacy gate)
     * @param overallScore              the weighted score, less penalties, in [0, 1]
     * @param qualityLevel              the band of the overall score
     * @param issues                    problems found, for people
     * @param suggestions               improvements, for people
     * @throws NullPointerException when qualityLevel, issues or suggestions (or an element) is null
     */
    public QualityMetrics {
        Objects.requireNonNull(qualityLevel, "qualityLevel");
        issues = List.copyOf(issues);
        suggestions = List.copyOf(suggestions);
    }

    /** {@return a builder with every figure at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this object's figures} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.specificity = specificityScore;
        b.actionability = actionabilityScore;
        b.quantification = quantificationScore;
        b.relevance = relevanceScore;
        b.completeness = completenessScore;
        b.novelty = noveltyScore;
        b.clarity = clarityScore;
        b.genericPhrases = genericPhraseCount;
        b.circular = circularReasoningDetected;
        b.hallucination = hallucinationRisk;
        b.redundancy = redundancyRatio;
        b.words = wordCount;
        b.sentences = sentenceCount;
        b.numerics = numericValuesCount;
        b.specificTerms = specificTermsCount;
        b.overall = overallScore;
        b.level = qualityLevel;
        b.issues.addAll(issues);
        b.suggestions.addAll(suggestions);
        return b;
    }

    /** Builds {@link QualityMetrics}; not thread-safe. */
    public static final class Builder {
        private double specificity;
        private double actionability;
        private double quantification;
        private double relevance;
        private double completeness;
        private double novelty;
        private double clarity;
        private int genericPhrases;
        private boolean circular;
        private double hallucination;
        private double redundancy;
        private int words;
        private int sentences;
        private int numerics;
        private int specificTerms;
        private double overall;
        private QualityLevel level;
        private final List<String> issues = new ArrayList<>();
        private final List<String> suggestions = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the specificity score.
         *
         * @param v the specificity score (domain terms, units, parameters), in [0, 1]; default 0
         * @return this builder
         */
        public Builder specificityScore(double v) {
            specificity = v;
            return this;
        }

        /**
         * Sets the actionability score.
         *
         * @param v the actionability score (verbs, steps, commands, paths), in [0, 1]; default 0
         * @return this builder
         */
        public Builder actionabilityScore(double v) {
            actionability = v;
            return this;
        }

        /**
         * Sets the quantification score.
         *
         * @param v the quantification score (numbers with units), in [0, 1]; default 0
         * @return this builder
         */
        public Builder quantificationScore(double v) {
            quantification = v;
            return this;
        }

        /**
         * Sets the relevance score.
         *
         * @param v the relevance score (overlap with the user's request), in [0, 1]; default 0
         * @return this builder
         */
        public Builder relevanceScore(double v) {
            relevance = v;
            return this;
        }

        /**
         * Sets the completeness score.
         *
         * @param v the completeness score, in [0, 1]; default 0
         * @return this builder
         */
        public Builder completenessScore(double v) {
            completeness = v;
            return this;
        }

        /**
         * Sets the novelty score.
         *
         * @param v the novelty score, in [0, 1]; default 0
         * @return this builder
         */
        public Builder noveltyScore(double v) {
            novelty = v;
            return this;
        }

        /**
         * Sets the clarity score.
         *
         * @param v the clarity score, in [0, 1]; default 0
         * @return this builder
         */
        public Builder clarityScore(double v) {
            clarity = v;
            return this;
        }

        /**
         * Sets how many generic phrases were found.
         *
         * @param v the number of generic (filler) phrases found, {@code >= 0}; default 0
         * @return this builder
         */
        public Builder genericPhraseCount(int v) {
            genericPhrases = v;
            return this;
        }

        /**
         * Sets whether circular reasoning was detected.
         *
         * @param v whether circular reasoning was detected; default {@code false}
         * @return this builder
         */
        public Builder circularReasoningDetected(boolean v) {
            circular = v;
            return this;
        }

        /**
         * Sets the hallucination risk.
         *
         * @param v the hallucination risk, in [0, 1]; default 0
         * @return this builder
         */
        public Builder hallucinationRisk(double v) {
            hallucination = v;
            return this;
        }

        /**
         * Sets the share of repeated sentence pairs.
         *
         * @param v the share of sentence pairs that repeat each other, in [0, 1]; default 0
         * @return this builder
         */
        public Builder redundancyRatio(double v) {
            redundancy = v;
            return this;
        }

        /**
         * Sets the word count.
         *
         * @param v the number of whitespace-separated tokens, {@code >= 0}; default 0
         * @return this builder
         */
        public Builder wordCount(int v) {
            words = v;
            return this;
        }

        /**
         * Sets the sentence count.
         *
         * @param v the number of sentences, {@code >= 0}; default 0
         * @return this builder
         */
        public Builder sentenceCount(int v) {
            sentences = v;
            return this;
        }

        /**
         * Sets how many numbers were found.
         *
         * @param v the number of numbers, with or without a unit, {@code >= 0}; default 0
         * @return this builder
         */
        public Builder numericValuesCount(int v) {
            numerics = v;
            return this;
        }

        /**
         * Sets how many domain terms were found.
         *
         * @param v the number of specific (domain) terms, {@code >= 0}; default 0
         * @return this builder
         */
        public Builder specificTermsCount(int v) {
            specificTerms = v;
            return this;
        }

        /**
         * Sets the overall score.
         *
         * @param v the overall score, in [0, 1]; default 0
         * @return this builder
         */
        public Builder overallScore(double v) {
            overall = v;
            return this;
        }

        /**
         * Sets the quality level instead of deriving it from the overall score.
         *
         * @param v the quality level; by default derived from the overall score
         * @return this builder
         */
        public Builder qualityLevel(QualityLevel v) {
            level = Objects.requireNonNull(v, "qualityLevel");
            return this;
        }

        /**
         * Sets the issues found.
         *
         * @param v the issues, replacing those set before
         * @return this builder
         */
        public Builder issues(List<String> v) {
            issues.clear();
            issues.addAll(v);
            return this;
        }

        /**
         * Sets the suggestions for improving the content.
         *
         * @param v the suggestions, replacing those set before
         * @return this builder
         */
        public Builder suggestions(List<String> v) {
            suggestions.clear();
            suggestions.addAll(v);
            return this;
        }

        /** {@return the metrics} */
        public QualityMetrics build() {
            return new QualityMetrics(specificity, actionability, quantification, relevance, completeness,
                    novelty, clarity, genericPhrases, circular, hallucination, redundancy, words, sentences,
                    numerics, specificTerms, overall, level != null ? level : QualityLevel.fromScore(overall),
                    issues, suggestions);
        }
    }
}
