package io.wsrouter.quality;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The computations of the default monitor over buffered events (quality-rules.md sections 12, 13
 * and 15): agent profiles, trends and report statistics. Stateless.
 */
final class AgentAnalytics {

    static final int PROFILE_WINDOW = 100;
    static final int TREND_MIN_EVENTS = 10;
    static final int TREND_WINDOW = 50;

    private AgentAnalytics() {
    }

    /** Section 13, over the given events (the agent's last 100). */
    static Map<String, Object> profile(String agent, List<QualityEvent> events, Instant now) {
        int n = events.size();
        double mean = mean(events);
        Map<String, Integer> distribution = levelCounts(events);
        int slop = 0;
        double genericSum = 0;
        double actionabilitySum = 0;
        int circular = 0;
        boolean hallucinations = false;
        for (QualityEvent e : events) {
            if (e.qualityLevel().isSlop()) {
                slop++;
            }
            genericSum += e.genericPhrases();
            actionabilitySum += e.actionability();
            if (e.circularReasoning()) {
                circular++;
            }
            hallucinations |= e.hallucinationRisk() > 0.5;
        }
        List<String> issues = new ArrayList<>();
        List<String> recommendations = new ArrayList<>();
        if (n > 0) {
            if (mean < 0.5) {
                issues.add("Low average quality score");
            }
            if (genericSum / n > 2) {
                issues.add("High frequency of generic phrases");
            }
            if (circular > 5) {
                issues.add("Frequent circular reasoning");
            }
            if (mean < 0.5) {
                recommendations.add("Review and enhance agent prompts for specificity");
            }
            if (hallucinations) {
                recommendations.add("Implement fact-checking mechanisms");
            }
            if (actionabilitySum / n < 0.5) {
                recommendations.add("Add concrete action steps to outputs");
            }
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("agent_name", agent);
        profile.put("total_requests", n);
        profile.put("average_quality_score", mean);
        profile.put("quality_distribution", distribution);
        profile.put("slop_detection_count", slop);
        profile.put("retry_count", 0);
        profile.put("fallback_count", 0);
        profile.put("average_response_time", 0.0);
        profile.put("last_updated", now.toString());
        profile.put("issues", issues);
        profile.put("recommendations", recommendations);
        return profile;
    }

    /** Levels seen, in level order, with their counts. */
    static Map<String, Integer> levelCounts(List<QualityEvent> events) {
        Map<QualityLevel, Integer> counts = new java.util.EnumMap<>(QualityLevel.class);
        for (QualityEvent e : events) {
            counts.merge(e.qualityLevel(), 1, Integer::sum);
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((level, c) -> out.put(level.wireValue(), c));
        return out;
    }

    static double mean(List<QualityEvent> events) {
        if (events.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        for (QualityEvent e : events) {
            sum += e.qualityScore();
        }
        return sum / events.size();
    }

    /** Section 12: null when the agent has fewer than 10 events or nothing before its last 50. */
    static QualityTrend trend(String agent, List<QualityEvent> events) {
        int n = events.size();
        if (n < TREND_MIN_EVENTS) {
            return null;
        }
        List<QualityEvent> recent = events.subList(Math.max(0, n - TREND_WINDOW), n);
        List<QualityEvent> older = events.subList(Math.max(0, n - 2 * TREND_WINDOW), Math.max(0, n - TREND_WINDOW));
        if (older.isEmpty()) {
            return null;
        }
        double recentAverage = mean(recent);
        double olderAverage = mean(older);
        double change = olderAverage == 0 ? 0.0 : (recentAverage - olderAverage) / olderAverage * 100;
        String direction = change > 5 ? "improving" : change < -5 ? "degrading" : "stable";
        double forecast = ContentScores.clamp(recentAverage + 0.5 * (recentAverage - olderAverage));
        return new QualityTrend(agent, MetricType.QUALITY_SCORE, "hour", direction, change, recentAverage,
                olderAverage, forecast, recent.size() > 20 ? 0.7 : 0.5);
    }

    /** Section 15's {@code statistics}, over a non-empty list. */
    static Map<String, Object> statistics(List<QualityEvent> events) {
        double[] scores = events.stream().mapToDouble(QualityEvent::qualityScore).sorted().toArray();
        int n = scores.length;
        double mean = 0;
        for (double s : scores) {
            mean += s;
        }
        mean /= n;
        double median = n % 2 == 1 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
        double stdDev = 0;
        if (n > 1) {
            double squares = 0;
            for (double s : scores) {
                squares += (s - mean) * (s - mean);
            }
            stdDev = Math.sqrt(squares / (n - 1));
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("average_quality", mean);
        stats.put("median_quality", median);
        stats.put("min_quality", scores[0]);
        stats.put("max_quality", scores[n - 1]);
        stats.put("total_events", n);
        stats.put("std_dev", stdDev);
        return stats;
    }

    /** Section 15's {@code hourly_stats}: per hour (ISO UTC, ascending), average, min, max and count. */
    static Map<String, Object> hourly(List<QualityEvent> events) {
        Map<Instant, List<Double>> byHour = new TreeMap<>();
        for (QualityEvent e : events) {
            byHour.computeIfAbsent(e.timestamp().truncatedTo(ChronoUnit.HOURS), h -> new ArrayList<>())
                    .add(e.qualityScore());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        byHour.forEach((hour, scores) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("average", scores.stream().mapToDouble(Double::doubleValue).average().orElse(0));
            entry.put("min", scores.stream().min(Comparator.naturalOrder()).orElse(0.0));
            entry.put("max", scores.stream().max(Comparator.naturalOrder()).orElse(0.0));
            entry.put("count", scores.size());
            out.put(hour.toString(), entry);
        });
        return out;
    }
}
