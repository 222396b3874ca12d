package io.wsrouter.quality;

import static io.wsrouter.quality.GatePatterns.countContained;

import com.google.re2j.Matcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The score calculators of the heuristic gate, one method per metric of quality-rules.md section 4,
 * in the order of the rules so that each step can be checked against them. Stateless.
 */
final class ContentScores {

    private ContentScores() {
    }

    static double cap(double x, double c) {
        return Math.min(x, c);
    }

    static double clamp(double x) {
        return Math.max(0.0, Math.min(1.0, x));
    }

    /** Section 4.1. */
    static double specificity(TextFacts t, ContentType type) {
        double score = 0.0;
        score += cap(0.05 * domainTermsFound(t), 0.3);
        score += cap(0.1 * GatePatterns.UNIT_VALUES.count(t.scan), 0.3);
        score += cap(0.15 * GatePatterns.PARAMETER_SETTINGS.count(t.scan), 0.3);
        if (GatePatterns.findVague(t.scan)) {
            score -= 0.2;
        }
        if (type == ContentType.OPTIMIZATION) {
            score += cap(0.1 * countContained(GatePatterns.OPTIMIZATION_TECHNIQUES, t.lower), 0.2);
        } else if (type == ContentType.ERROR_MESSAGE) {
            double s = 0.0;
            for (LinearPattern p : GatePatterns.ERROR_PATTERNS.values()) {
                s += cap(0.2 * p.count(t.scan), 0.3);
            }
            s += cap(0.2 * GatePatterns.FILE_PATHS.count(t.scan), 0.3);
            s += cap(0.2 * GatePatterns.countStackTraces(t.scan), 0.3);
            score += cap(s + cap(0.08 * countContained(GatePatterns.ERROR_DOMAIN_TERMS, t.lower), 0.25), 0.8);
        }
        return clamp(score);
    }

    static int domainTermsFound(TextFacts t) {
        return countContained(GatePatterns.DOMAIN_TERMS, t.lower);
    }

    /** Section 4.2. */
    static double actionability(TextFacts t, ContentType type) {
        double score = 0.0;
        score += cap(0.08 * countContained(GatePatterns.ACTION_VERBS, t.lower), 0.4);
        if (GatePatterns.STEP_MARKERS.find(t.scanLower)) {
            score += 0.2;
        }
        if (hasCommand(t)) {
            score += 0.3;
        }
        int pathKinds = 0;
        for (LinearPattern p : GatePatterns.PATH_PATTERNS) {
            if (p.find(t.scan)) {
                pathKinds++;
            }
        }
        score += cap(0.15 * pathKinds, 0.3);
        score -= 0.05 * countContained(GatePatterns.HEDGES, t.lower);
        if (type == ContentType.ERROR_MESSAGE) {
            double bonus = cap(0.1 * countContained(GatePatterns.ERROR_ACTIONS, t.lower), 0.3);
            if (GatePatterns.ERROR_RESOLUTION.find(t.scanLower)) {
                bonus += 0.2;
            }
            score += cap(bonus, 0.4);
        }
        return clamp(score);
    }

    private static boolean hasCommand(TextFacts t) {
        for (String marker : GatePatterns.COMMAND_MARKERS) {
            if (t.content.contains(marker)) {
                return true;
            }
        }
        return GatePatterns.INLINE_CODE.find(t.scan) || GatePatterns.SHELL_VARIABLE.find(t.scan);
    }

    /** Section 4.3. */
    static double quantification(TextFacts t) {
        double score = 0.0;
        for (LinearPattern p : GatePatterns.QUANTITIES) {
            score += cap(0.15 * p.count(t.scan), 0.3);
        }
        if (GatePatterns.BEFORE_AFTER.find(t.scan)) {
            score += 0.2;
        }
        Set<String> names = new HashSet<>();
        Matcher m = GatePatterns.NAMED_FIGURES.matcher(t.scan);
        while (m.find()) {
            // As written: "Latency" and "latency" are two (legacy quirk), so the name is read from the text.
            names.add(t.content.substring(t.scan.charIndex(m.start(1)), t.scan.charIndex(m.end(1))));
        }
        score += cap(0.1 * names.size(), 0.3);
        score += cap(cap(0.1 * GatePatterns.OPERATIONAL_SETTINGS.count(t.scan), 0.2)
                + cap(0.05 * GatePatterns.TIMES_OF_DAY.count(t.scan), 0.1), 0.15);
        return cap(score, 1.0);
    }

    /** Section 4.4. */
    static double clarity(TextFacts t) {
        double score = 1.0;
        int sentences = t.sentences.size();
        if (sentences > 0) {
            double average = (double) t.tokens.size() / sentences;
            if (average > 40) {
                score -= 0.5;
            } else if (average > 30) {
                score -= 0.2;
            }
        }
        if (GatePatterns.ACRONYM.count(t.scan) > 5) {
            score -= 0.1;
        }
        int parentheses = occurrences(t.content, '(');
        if (parentheses > 2 && sentences > 0) {
            score -= cap(0.02 * parentheses, 0.1);
        }
        if (occurrences(t.content, ',') > 3 * sentences) {
            score -= 0.1;
        }
        if (countContained(GatePatterns.STRUCTURE_WORDS, t.lower) > 0) {
            score += 0.1;
        }
        return clamp(score);
    }

    private static int occurrences(String text, char c) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /**
     * Section 4.5. Identical token sets are grouped first, so the pairwise comparison runs over
     * distinct sentences only (a text of many repeated sentences costs no more than one of few).
     */
    static double redundancy(TextFacts t) {
        int n = t.sentences.size();
        if (n < 2) {
            return 0.0;
        }
        Map<String, Integer> ids = new HashMap<>();
        Map<Set<Integer>, Integer> groups = new HashMap<>();
        for (String sentence : t.sentences) {
            Set<Integer> set = new HashSet<>();
            for (String token : TextFacts.tokens(sentence.toLowerCase(java.util.Locale.ROOT))) {
                set.add(ids.computeIfAbsent(token, k -> ids.size()));
            }
            groups.merge(set, 1, Integer::sum);
        }
        List<int[]> sets = new ArrayList<>(groups.size());
        List<Integer> multiplicity = new ArrayList<>(groups.size());
        long repeated = 0;
        for (Map.Entry<Set<Integer>, Integer> e : groups.entrySet()) {
            long k = e.getValue();
            if (e.getKey().isEmpty()) {
                continue;   // a pair needs two non-empty sets
            }
            repeated += k * (k - 1) / 2;   // identical non-empty sets overlap completely
            int[] sorted = e.getKey().stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(sorted);
            sets.add(sorted);
            multiplicity.add(e.getValue());
        }
        for (int i = 0; i < sets.size(); i++) {
            int[] a = sets.get(i);
            for (int j = i + 1; j < sets.size(); j++) {
                int[] b = sets.get(j);
                if ((double) intersection(a, b) / Math.min(a.length, b.length) > 0.7) {
                    repeated += (long) multiplicity.get(i) * multiplicity.get(j);
                }
            }
        }
        double pairs = n * (n - 1) / 2.0;
        return cap(repeated / pairs, 1.0);
    }

    private static int intersection(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return common;
    }

    /**
     * Section 4.6. The request words are the distinct tokens of the lowercased request.
     *
     * @param userRequest the context's {@code user_request}, or null when there is none
     */
    static double relevance(TextFacts t, String userRequest) {
        if (userRequest == null) {
            return 0.5;
        }
        Set<String> request = new LinkedHashSet<>(TextFacts.tokens(userRequest.toLowerCase(java.util.Locale.ROOT)));
        Set<String> content = new HashSet<>(t.tokens.size());
        for (String token : TextFacts.tokens(t.lower)) {
            content.add(token);
        }
        double overlap = 0.0;
        if (!request.isEmpty()) {
            long common = request.stream().filter(content::contains).count();
            overlap = cap((double) common / request.size() * 0.8, 0.4);
        }
        int related = 0;
        for (String word : request) {
            List<String> mapped = GatePatterns.RELATED_WORDS.get(word);
            if (mapped != null && mapped.stream().anyMatch(content::contains)) {
                related++;
            }
        }
        double semantic = cap(0.2 * related, 0.6);
        double technical = 0.0;
        List<String> longWords = request.stream().filter(w -> w.length() > 4).toList();
        if (!longWords.isEmpty()) {
            // One pass over the text for all the words (the request is the client's, as long as the frame).
            long found = ContainedWords.count(longWords, t.lower);
            technical = cap((double) found / longWords.size(), 0.5) * 0.4;
        }
        return cap(overlap + semantic + technical, 1.0);
    }

    /** Section 4.7. */
    static double completeness(TextFacts t, ContentType type) {
        List<String> required = GatePatterns.REQUIRED_WORDS.get(type);
        if (required != null) {
            return cap(countContained(required, t.lower) / 5.0, 1.0);
        }
        double score = 0.0;
        if (t.rawSentenceCount >= 3) {
            score += 0.3;
        }
        if (t.tokens.size() >= 50) {
            score += 0.3;
        }
        if (t.lower.contains("however") || t.lower.contains("but")) {
            score += 0.2;
        }
        if (t.lower.contains("because") || t.lower.contains("due to")) {
            score += 0.2;
        }
        return cap(score, 1.0);
    }

    /**
     * Section 4.9.
     *
     * @param hasDataSource whether the context holds a {@code data_source} key
     */
    static double hallucinationRisk(TextFacts t, boolean hasDataSource) {
        double risk = 0.0;
        if (!hasDataSource && GatePatterns.BIG_NUMBER.find(t.scan)) {
            risk += 0.2;
        }
        if (!GatePatterns.EVIDENCE.find(t.scan)) {
            for (LinearPattern claim : GatePatterns.CLAIMS) {
                if (claim.find(t.scan)) {
                    risk += 0.1;
                }
            }
        }
        if (GatePatterns.IMPOSSIBLE_CLAIMS.find(t.scan)) {
            risk += 0.3;
        }
        return cap(risk, 1.0);
    }
}
