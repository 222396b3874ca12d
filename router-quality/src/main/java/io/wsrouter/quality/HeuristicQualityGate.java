package io.wsrouter.quality;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link QualityGateService}: the legacy heuristics of quality-rules.md sections 3-8,
 * with the legacy bugs fixed as listed in {@link QualityGateService}.
 */
final class HeuristicQualityGate implements QualityGateService {

    private static final Logger LOG = LoggerFactory.getLogger(HeuristicQualityGate.class);
    private static final int STATS_WINDOW = 100;

    static final String SUGGEST_SPECIFICITY = "Add specific metrics, parameters, or configuration values";
    static final String SUGGEST_ACTIONABILITY = "Include clear action steps or commands";
    static final String SUGGEST_QUANTIFICATION = "Add numerical values and measurable outcomes";
    static final String SUGGEST_GENERIC = "Remove generic phrases and filler language";
    static final String RETRY_SPECIFICITY =
            "Be extremely specific. Include exact parameter values, configuration settings, and metrics.";
    static final String RETRY_ACTIONABILITY =
            "Provide step-by-step actionable instructions with specific commands or code.";
    static final String RETRY_QUANTIFICATION =
            "Include numerical values for all claims. Show before/after metrics with percentages.";

    /** One remembered validation (the legacy history entry). */
    record HistoryEntry(Instant timestamp, double overallScore, QualityLevel qualityLevel,
                        double specificity, double actionability, double quantification) {
    }

    private final ValidationCache cache;
    private final int historySize;
    private final RecentHashStore recentHashes;
    private final Clock clock;
    private final Map<ContentType, BoundedBuffer<HistoryEntry>> history = new ConcurrentHashMap<>();

    HeuristicQualityGate(int cacheSize, int historySize, RecentHashStore recentHashes, Clock clock) {
        this.cache = new ValidationCache(cacheSize);
        this.historySize = historySize;
        this.recentHashes = recentHashes;
        this.clock = clock;
    }

    @Override
    public ValidationResult validate(String content, ContentType type, Map<String, ?> context, boolean strictMode) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(type, "type");
        String userRequest = userRequest(context);
        boolean hasDataSource = context != null && context.containsKey("data_source");
        String contentMd5 = md5Hex(content);
        ValidationCache.Key key = new ValidationCache.Key(type, contentMd5, strictMode,
                userRequest == null ? null : md5Hex(userRequest), hasDataSource);
        ValidationResult cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        ValidationResult result;
        try {
            result = evaluate(content, contentMd5, type, userRequest, hasDataSource, strictMode);
        } catch (RuntimeException | StackOverflowError e) {
            // A bug in a calculator is a failed validation (the legacy error result), not a failed
            // routing thread. (The patterns run on RE2/J, which neither backtracks nor recurses.)
            LOG.warn("content validation failed for type {}", type, e);
            return errorResult(e);
        }
        cache.put(key, result);
        record(type, result.metrics());
        if (LOG.isDebugEnabled()) {
            LOG.debug("Content validation: {} - Score: {} - Level: {} - Passed: {}", type,
                    String.format(Locale.ROOT, "%.2f", result.metrics().overallScore()),
                    result.metrics().qualityLevel(), result.passed());
        }
        return result;
    }

    /** Sections 3-7 for one text. */
    ValidationResult evaluate(String content, String contentMd5, ContentType type, String userRequest,
                              boolean hasDataSource, boolean strictMode) {
        TextFacts t = new TextFacts(content);
        List<String> issues = new ArrayList<>();
        int generic = GatePatterns.GENERIC.count(t.scan);
        if (generic > 0) {
            issues.add("Contains " + generic + " generic phrases");
        }
        int vague = GatePatterns.countVague(t.scan);
        if (vague > 0) {
            issues.add("Contains " + vague + " vague optimization terms without specifics");
        }
        boolean circular = GatePatterns.CIRCULAR.find(t.scan);
        if (circular) {
            issues.add("Circular reasoning detected");
        }
        QualityMetrics measured = QualityMetrics.builder()
                .wordCount(t.tokens.size())
                .sentenceCount(t.rawSentenceCount)
                .numericValuesCount(GatePatterns.NUMERIC.count(t.scan))
                .genericPhraseCount(generic)
                .circularReasoningDetected(circular)
                .specificTermsCount(ContentScores.domainTermsFound(t))
                .specificityScore(ContentScores.specificity(t, type))
                .actionabilityScore(ContentScores.actionability(t, type))
                .quantificationScore(ContentScores.quantification(t))
                .clarityScore(ContentScores.clarity(t))
                .redundancyRatio(ContentScores.redundancy(t))
                .relevanceScore(ContentScores.relevance(t, userRequest))
                .completenessScore(ContentScores.completeness(t, type))
                .noveltyScore(novelty(contentMd5))
                .hallucinationRisk(ContentScores.hallucinationRisk(t, hasDataSource))
                .issues(issues)
                .build();
        double overall = ContentTypeRules.overall(type, measured);
        QualityMetrics metrics = measured.toBuilder()
                .overallScore(overall)
                .qualityLevel(QualityLevel.fromScore(overall))
                .suggestions(suggestions(measured))
                .build();
        boolean passed = ContentTypeRules.passes(metrics, ContentTypeRules.thresholds(type, strictMode));
        if (passed) {
            return ValidationResult.pass(metrics);
        }
        return new ValidationResult(false, metrics, true, retryAdjustments(metrics), null);
    }

    /** Section 4.8: 0.0 when seen recently, 0.8 when new, 0.5 when the store fails. */
    private double novelty(String contentMd5) {
        try {
            return recentHashes.seenOrRecord(contentMd5) ? 0.0 : 0.8;
        } catch (Exception e) {
            LOG.debug("recent-hash store failed; novelty 0.5", e);
            return 0.5;
        }
    }

    static List<String> suggestions(QualityMetrics m) {
        List<String> out = new ArrayList<>(4);
        if (m.specificityScore() < 0.5) {
            out.add(SUGGEST_SPECIFICITY);
        }
        if (m.actionabilityScore() < 0.5) {
            out.add(SUGGEST_ACTIONABILITY);
        }
        if (m.quantificationScore() < 0.5) {
            out.add(SUGGEST_QUANTIFICATION);
        }
        if (m.genericPhraseCount() > 2) {
            out.add(SUGGEST_GENERIC);
        }
        return out;
    }

    static Map<String, Object> retryAdjustments(QualityMetrics m) {
        List<String> instructions = new ArrayList<>(3);
        if (m.specificityScore() < 0.5) {
            instructions.add(RETRY_SPECIFICITY);
        }
        if (m.actionabilityScore() < 0.5) {
            instructions.add(RETRY_ACTIONABILITY);
        }
        if (m.quantificationScore() < 0.5) {
            instructions.add(RETRY_QUANTIFICATION);
        }
        Map<String, Object> adjustments = new LinkedHashMap<>();
        adjustments.put("temperature", 0.3);
        adjustments.put("additional_instructions", List.copyOf(instructions));
        return adjustments;
    }

    static ValidationResult errorResult(Throwable e) {
        QualityMetrics metrics = QualityMetrics.builder()
                .overallScore(0.0)
                .qualityLevel(QualityLevel.UNACCEPTABLE)
                .issues(List.of("Validation error: " + e.getMessage()))
                .build();
        return new ValidationResult(false, metrics, false, null, null);
    }

    private void record(ContentType type, QualityMetrics m) {
        history.computeIfAbsent(type, k -> new BoundedBuffer<>(historySize))
                .add(new HistoryEntry(clock.instant(), m.overallScore(), m.qualityLevel(),
                        m.specificityScore(), m.actionabilityScore(), m.quantificationScore()));
    }

    @Override
    public Map<ContentType, QualityStats> statistics() {
        Map<ContentType, QualityStats> out = new EnumMap<>(ContentType.class);
        history.forEach((type, buffer) -> {
            List<HistoryEntry> recent = buffer.last(STATS_WINDOW);
            if (recent.isEmpty()) {
                return;
            }
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            int failures = 0;
            Map<String, Integer> distribution = new LinkedHashMap<>();
            for (QualityLevel level : QualityLevel.values()) {
                distribution.put(level.wireValue(), 0);
            }
            for (HistoryEntry e : recent) {
                sum += e.overallScore();
                min = Math.min(min, e.overallScore());
                max = Math.max(max, e.overallScore());
                if (e.overallScore() < 0.5) {
                    failures++;
                }
                distribution.merge(e.qualityLevel().wireValue(), 1, Integer::sum);
            }
            int n = recent.size();
            out.put(type, new QualityStats(n, sum / n, min, max, (double) failures / n, distribution));
        });
        return out;
    }

    @Override
    public void clearCache() {
        cache.clear();
    }

    int cacheSize() {
        return cache.size();
    }

    int historySize() {
        return history.values().stream().mapToInt(BoundedBuffer::size).sum();
    }

    private static String userRequest(Map<String, ?> context) {
        if (context == null) {
            return null;
        }
        Object value = context.get("user_request");
        return value == null ? null : value.toString();
    }

    static String md5Hex(String text) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return java.util.HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }
}
