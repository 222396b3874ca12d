package io.wsrouter.quality;

import java.time.Instant;

/** One recorded output of an agent (the legacy quality event). Immutable. */
record QualityEvent(Instant timestamp, String agent, ContentType contentType, double qualityScore,
                    QualityLevel qualityLevel, double specificity, double actionability, double quantification,
                    int wordCount, int genericPhrases, boolean circularReasoning, double hallucinationRisk,
                    String userId, String threadId, String runId) {

    static QualityEvent of(Instant at, String agent, ContentType type, QualityMetrics m,
                           String userId, String threadId, String runId) {
        return new QualityEvent(at, agent, type, m.overallScore(), m.qualityLevel(), m.specificityScore(),
                m.actionabilityScore(), m.quantificationScore(), m.wordCount(), m.genericPhraseCount(),
                m.circularReasoningDetected(), m.hallucinationRisk(), userId, threadId, runId);
    }
}
