package io.wsrouter.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * No text makes a pattern, or a validation, cost more than a small multiple of what an ordinary scan
 * of the same length costs. Every pattern of {@link GatePatterns} (found by reflection, so a new one
 * is covered without editing this test), the hand-written counts and splits, and {@code validate} for
 * every content type get every {@link HostileTexts} family at the content limit (32 KiB).
 *
 * <p>Measured as a ratio within the run, never as an absolute time: after a warm-up, each cost is
 * set against a reference measured just before it on the same text length, and only the best of
 * several tries counts (a loaded machine only ever makes a try slower, so the minimum is the cost of
 * the work). The bounds:
 * <ul>
 *   <li>A pattern against the cheapest scan RE2 does (a one-character class that never matches, one
 *       automaton thread per character): at most {@value #PATTERN_BOUND}x. A linear pattern costs a
 *       constant per character that grows with the number of automaton threads it starts at each
 *       character, whatever the text: the gate's largest, GENERIC (19 alternative phrases), measures
 *       50-90x on every family, even a run of spaces where nothing can match, and VAGUE 50-60x; the
 *       others stay under 50x. A pattern that is not linear grows with the text, and at 32 KiB even a
 *       merely quadratic one is far above: counting stack frames over a whole text of unclosed
 *       {@code at a(} measured 11,842x, the legacy UNIT_VALUES 5,691-76,053x already on 4 KiB texts
 *       (digit runs), about 10^5x on 32,000 digits (~90 s). 200x leaves a factor of 2 above the
 *       costliest linear pattern and more than 25 below the mildest blow-up seen.</li>
 *   <li>A validation against the validation of an ordinary text of the same length and type: at most
 *       {@value #VALIDATION_BOUND}x. A hostile text can make some patterns busier than ordinary prose
 *       does, but only by a constant; a blow-up anywhere in the gate shows as a huge ratio.</li>
 * </ul>
 */
class HostileTextCostTest {

    static final double PATTERN_BOUND = 200;
    static final double VALIDATION_BOUND = 20;
    static final int TRIES = 7;

    private static final LinearPattern TRIVIAL = LinearPattern.cs("[#~]!");

    /**
     * Patterns the gate never counts over a whole text, with the method that runs them instead (which
     * is measured). Counted over a whole text, the frame alternative of stack_trace_indicators rescans
     * to the end from every unclosed {@code at x(}: each search is linear, but one search per match
     * makes the count quadratic. {@link GatePatterns#countStackTraces} stops the frames at the last ')'.
     */
    static final Map<String, String> RUN_ONLY_THROUGH = Map.of("STACK_TRACE", "countStackTraces",
            "STACK_TRACE_WORDS", "countStackTraces");

    /** Every pattern evaluation of the gate, by name, on a text's projection. */
    static Map<String, Function<ScanText, Object>> evaluations() throws IllegalAccessException {
        Map<String, Function<ScanText, Object>> out = new LinkedHashMap<>();
        for (Field f : GatePatterns.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            if (RUN_ONLY_THROUGH.containsKey(f.getName())) {
                assertThat(f.getType()).isEqualTo(LinearPattern.class);
                continue;
            }
            f.setAccessible(true);
            Object value = f.get(null);
            if (value instanceof LinearPattern p) {
                out.put(f.getName(), p::count);
            } else if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof LinearPattern p) {
                        out.put(f.getName() + "[" + i + "]", p::count);
                    }
                }
            } else if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    if (v instanceof LinearPattern p) {
                        out.put(f.getName() + "[" + k + "]", p::count);
                    }
                });
            }
        }
        out.put("countVague", GatePatterns::countVague);
        out.put("findVague", GatePatterns::findVague);
        out.put("countStackTraces", GatePatterns::countStackTraces);
        out.put("tokens", t -> TextFacts.tokens(t.text()));
        out.put("sentencePieces", t -> TextFacts.sentencePieces(t.text()));
        assertThat(out).containsKeys(RUN_ONLY_THROUGH.values().toArray(String[]::new));
        out.put("projections", t -> new ScanText(t.text()).caseInsensitive().length
                + new ScanText(t.text()).caseSensitive().length);
        return out;
    }

    @Test
    void noPatternCostsMoreThanASmallMultipleOfATrivialScanOnAnyHostileText() throws Exception {
        Map<String, Function<ScanText, Object>> evaluations = evaluations();
        assertThat(evaluations).hasSizeGreaterThan(50);
        Map<String, ScanText> texts = new LinkedHashMap<>();
        HostileTexts.families(HostileTexts.LENGTH).forEach((name, text) -> {
            ScanText t = new ScanText(text);
            t.caseSensitive();
            t.caseInsensitive();
            texts.put(name, t);
        });
        for (int warm = 0; warm < 3; warm++) {
            for (String family : List.of("digit run", "space run", "alternating letter digit", "unit suffix repeats")) {
                ScanText t = texts.get(family);
                TRIVIAL.count(t);
                evaluations.values().forEach(e -> e.apply(t));
            }
        }
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, ScanText> text : texts.entrySet()) {
            ScanText t = text.getValue();
            Reference trivial = new Reference(() -> TRIVIAL.count(t));
            for (Map.Entry<String, Function<ScanText, Object>> e : evaluations.entrySet()) {
                double ratio = trivial.ratio(() -> e.getValue().apply(t), PATTERN_BOUND);
                if (ratio > worst) {
                    worst = ratio;
                    worstName = e.getKey() + " on " + text.getKey();
                }
                if (ratio > PATTERN_BOUND) {
                    failures.add(String.format("%s on %s: %.0fx a trivial scan", e.getKey(), text.getKey(), ratio));
                }
            }
        }
        System.out.printf("worst pattern ratio: %.1fx (%s)%n", worst, worstName);
        assertThat(failures).as("patterns over %sx a trivial scan of the same text", PATTERN_BOUND).isEmpty();
    }

    @Test
    void noValidationCostsMoreThanASmallMultipleOfAnOrdinaryOneOfTheSameLength() {
        QualityGateService gate = QualityGateService.builder().cacheSize(0).build();
        String ordinary = HostileTexts.repeat("Set batch_size=32 and enable quantization to cut p99 latency from 120ms "
                + "to 80ms. Then run `pip install x` and check /etc/app/config.yaml (see [1]). ", HostileTexts.LENGTH);
        Map<String, String> texts = HostileTexts.families(HostileTexts.LENGTH);
        for (int warm = 0; warm < 3; warm++) {
            gate.validate(ordinary, ContentType.ERROR_MESSAGE);
            gate.validate(texts.get("digit run"), ContentType.ERROR_MESSAGE);
            gate.validate(texts.get("space run"), ContentType.ERROR_MESSAGE);
        }
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstName = "";
        for (ContentType type : ContentType.values()) {
            Reference reference = new Reference(() -> gate.validate(ordinary, type));
            for (Map.Entry<String, String> text : texts.entrySet()) {
                double ratio = reference.ratio(() -> gate.validate(text.getValue(), type), VALIDATION_BOUND);
                if (ratio > worst) {
                    worst = ratio;
                    worstName = type + " on " + text.getKey();
                }
                if (ratio > VALIDATION_BOUND) {
                    failures.add(String.format("%s on %s: %.1fx an ordinary text", type, text.getKey(), ratio));
                }
            }
        }
        System.out.printf("worst validation ratio: %.2fx (%s)%n", worst, worstName);
        assertThat(failures).as("validations over %sx an ordinary text", VALIDATION_BOUND).isEmpty();
    }

    /** The cost of a reference work, the best of its tries so far. */
    private static final class Reference {
        private final Runnable work;
        private long best = Long.MAX_VALUE;

        Reference(Runnable work) {
            this.work = work;
            for (int i = 0; i < 3; i++) {
                best = Math.min(best, time(work));
            }
        }

        /**
         * @return the cost of {@code subject} over the reference's, each the best of its tries; a
         *         subject over half the bound is tried again (with the reference) up to {@value #TRIES}
         *         times, since noise only ever raises a try
         */
        double ratio(Runnable subject, double bound) {
            long subjectBest = time(subject);
            double ratio = (double) subjectBest / best;
            for (int i = 1; i < TRIES && ratio > bound / 2; i++) {
                best = Math.min(best, time(work));
                subjectBest = Math.min(subjectBest, time(subject));
                ratio = (double) subjectBest / best;
            }
            return ratio;
        }
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }
}
