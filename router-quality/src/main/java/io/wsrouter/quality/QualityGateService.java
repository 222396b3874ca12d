package io.wsrouter.quality;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges the quality of a generated text: measures it ({@link QualityMetrics}), scores it, and says
 * whether it passes the thresholds of its {@link ContentType} ({@link ValidationResult}). The
 * {@code validate_content} message of the {@link QualityDispatcher} calls it.
 *
 * <h2>The default gate</h2>
 * {@link #builder()} builds the heuristic gate of the legacy service: pattern counts and word lists
 * turned into seven scores in [0, 1] (specificity, actionability, quantification, relevance,
 * completeness, clarity, novelty) plus generic phrases, circular reasoning, hallucination risk and
 * redundancy; the overall score is the type's weighted mean less penalties; the level is
 * excellent/good/acceptable/poor/unacceptable at 0.9/0.7/0.5/0.3; the text passes when the overall
 * score and the type's minimum scores are met, the type's maximums are not exceeded, there is no
 * circular reasoning and the hallucination risk is at most 0.7. Strict mode raises minimums by 20 %
 * and lowers maximums by 20 %. A failed text gets retry advice
 * ({@code {"temperature":0.3,"additional_instructions":[...]}}). The exact rules are those of the
 * project's {@code reference/quality-rules.md}; scores match the legacy service except where it was
 * broken. <b>Deliberate differences from the legacy gate:</b>
 * <ul>
 *   <li>Domain and error terms with capitals (GPU, QPS, KV cache, TCP, HTTP, ...) are matched
 *       case-insensitively; the legacy gate compared them, as written, to lowercased text, so they
 *       never matched.</li>
 *   <li>Novelty really works: a text seen among the 100 most recent hashes of the
 *       {@link RecentHashStore} scores 0.0, a new one 0.8 (the legacy gate always gave 0.5).</li>
 *   <li>Strict minimums are capped at 1.0, so a strict {@code action_plan} (actionability 0.9 x 1.2)
 *       can pass at all.</li>
 *   <li>The cache is bounded (least recently used entries go first) and its key includes the
 *       context's {@code user_request} and the presence of {@code data_source}, on which relevance
 *       and hallucination risk depend.</li>
 *   <li>{@code specific_terms_count} holds the number of domain terms found (always 0 before).</li>
 *   <li>The evidence markers that cancel the "unsupported claim" risk ("according to", "based on")
 *       are matched case-insensitively.</li>
 *   <li>A {@code user_request} of JSON null counts as absent (relevance 0.5) instead of failing.
 *       The request's words count once each in relevance (the rules speak of its word set).</li>
 *   <li>The patterns are evaluated in linear time (below); results are the legacy ones.</li>
 * </ul>
 *
 * <p><b>Cost of one validation: linear in the text, by construction.</b> The default gate runs every
 * pattern on RE2/J, a regular-expression engine without backtracking: a search costs time linear in
 * the text whatever the pattern and the text, so no input can make a pattern explode (the legacy
 * regexes took ~90 s on 32,000 digits). The rest of the work is linear too: the word and sentence
 * splits are single-pass scanners and the {@code user_request} words are looked up in the text in one
 * Aho-Corasick pass (not one {@code contains} per word). The patterns give the legacy results: each
 * is the legacy regex, translated atom by atom (Java's Unicode {@code \w}, {@code \d}, {@code \s},
 * {@code \b} and case folding kept exact), and the tests hold every one to the original
 * {@code java.util.regex} pattern on 50,000 random and adversarial texts. The gate itself puts no
 * limit on the length of a text; the {@link QualityDispatcher} refuses {@code content} longer than
 * {@link QualityDispatcher.Builder#maxContentLength(int)} (32 KiB by default) before the gate sees it,
 * which bounds the work of one {@code validate_content} message. A test holds every pattern, and a
 * validation of every content type, on 57 hostile 32 KiB families (digit, whitespace and separator
 * runs, alternating classes, long words, unit suffixes, unclosed frames, ...) to a small multiple of
 * an ordinary text's cost; docs/reliability.md gives the measured worst case.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use; the default gate is.
 *
 * <p><b>Errors:</b> the default gate never throws for a non-null text: an internal failure gives a
 * failed result with overall score 0, level unacceptable and the issue
 * {@code "Validation error: ..."}. A custom gate that throws makes the dispatcher answer
 * {@code QUALITY_ERROR}.
 *
 * <pre>{@code
 * QualityGateService gate = QualityGateService.builder().cacheSize(2048).build();
 * ValidationResult r = gate.validate("Set batch_size=32 to cut p99 latency from 120ms to 80ms.",
 *         ContentType.OPTIMIZATION, Map.of("user_request", "how do I reduce latency?"), false);
 * r.metrics().overallScore();   // a score in [0, 1]
 * r.passed();
 * }</pre>
 */
public interface QualityGateService {

    /** Results the default gate caches: 1024. */
    int DEFAULT_CACHE_SIZE = 1024;
    /** Validations the default gate remembers per content type: 1000. */
    int DEFAULT_HISTORY_SIZE = 1000;

    /**
     * Validates one text.
     *
     * @param content    the text; never null
     * @param type       its content type; never null
     * @param context    what the text answers: {@code user_request} (the question; relevance),
     *                   {@code data_source} (its presence lowers hallucination risk); may be null
     * @param strictMode whether to apply the strict thresholds
     * @return the verdict; never null
     * @throws NullPointerException when content or type is null
     */
    ValidationResult validate(String content, ContentType type, Map<String, ?> context, boolean strictMode);

    /**
     * Validates one text without context, with the normal thresholds.
     *
     * @param content the text; never null
     * @param type    its content type; never null
     * @return the verdict; never null
     */
    default ValidationResult validate(String content, ContentType type) {
        return validate(content, type, null, false);
    }

    /**
     * Validates several texts with the normal thresholds and a shared context, in order.
     *
     * @param items   (text, type) pairs; never null
     * @param context shared context; may be null
     * @return one verdict per item, in the items' order
     */
    default List<ValidationResult> validateBatch(List<? extends Map.Entry<String, ContentType>> items,
                                                 Map<String, ?> context) {
        Objects.requireNonNull(items, "items");
        List<ValidationResult> results = new ArrayList<>(items.size());
        for (Map.Entry<String, ContentType> item : items) {
            results.add(validate(item.getKey(), item.getValue(), context, false));
        }
        return results;
    }

    /**
     * {@return for each content type validated so far, figures over its last 100 validations (cache
     *          hits and failed validations excluded); empty by default}
     */
    default Map<ContentType, QualityStats> statistics() {
        return Map.of();
    }

    /** Forgets cached results; by default there is no cache. */
    default void clearCache() {
    }

    /** {@return a builder for the default heuristic gate} */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the default heuristic gate. Not thread-safe; the gate it builds is.
     *
     * <pre>{@code
     * QualityGateService gate = QualityGateService.builder()
     *         .cacheSize(0)                                   // no cache
     *         .recentHashStore(RecentHashStore.inMemory())
     *         .build();
     * }</pre>
     */
    final class Builder {
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private RecentHashStore recentHashStore;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets how many validation results are cached.
         *
         * @param value how many results to cache; 0 disables the cache; default {@value #DEFAULT_CACHE_SIZE}
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder cacheSize(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("cacheSize must be >= 0 but was " + value);
            }
            this.cacheSize = value;
            return this;
        }

        /**
         * Sets how many validations are remembered per content type.
         *
         * @param value how many validations to remember per content type, for {@link #statistics()};
         *              default {@value #DEFAULT_HISTORY_SIZE}
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder historySize(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("historySize must be > 0 but was " + value);
            }
            this.historySize = value;
            return this;
        }

        /**
         * Sets where recent text hashes are kept for the novelty score.
         *
         * @param value the store of recent text hashes for novelty; default {@link RecentHashStore#inMemory()}
         * @return this builder
         */
        public Builder recentHashStore(RecentHashStore value) {
            this.recentHashStore = Objects.requireNonNull(value, "recentHashStore");
            return this;
        }

        /**
         * Sets the clock of the history timestamps.
         *
         * @param value the clock of the history timestamps; default the UTC system clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** {@return a new gate} */
        public QualityGateService build() {
            return new HeuristicQualityGate(cacheSize, historySize,
                    recentHashStore != null ? recentHashStore : RecentHashStore.inMemory(), clock);
        }
    }
}
