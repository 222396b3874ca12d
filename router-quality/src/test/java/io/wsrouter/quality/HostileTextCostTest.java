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
 *       constant per character that grows with the number of threads its automaton keeps alive (the
 *       gate's largest, 19 alternative phrases, measures about 10-25x); a backtracking blow-up grows
 *       with the text, and at 32 KiB even a quadratic one is thousands of times the scan (the legacy
 *       UNIT_VALUES took ~90 s, 10^5x).</li>
 *   <li>A validation against the validation of an ordinary text of the same length and type: at most
 *       {@value #VALIDATION_BOUND}x. A hostile text can make some patterns busier than ordinary prose
 *       does, but only by a constant; a blow-up anywhere in the gate shows as a huge ratio.</li>
 * </ul>
 */
class HostileTextCostTest {

    static final double PATTERN_BOUND = 50;
    static final double VALIDATION_BOUND = 20;
    private static final int TRIES = 7;

    private static final LinearPattern TRIVIAL = LinearPattern.cs("[#~]!");

    /** Every pattern evaluation of the gate, by name, on a text's projection. */
    static Map<String, Function<ScanText, Object>> evaluations() throws IllegalAccessException {
        Map<String, Function<ScanText, Object>> out = new LinkedHashMap<>();
        for (Field f : GatePatterns.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
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
        for (int warm = 0; warm < 2; warm++) {
            for (ScanText t : texts.values()) {
                TRIVIAL.count(t);
                evaluations.values().forEach(e -> e.apply(t));
            }
        }
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, ScanText> text : texts.entrySet()) {
            ScanText t = text.getValue();
            for (Map.Entry<String, Function<ScanText, Object>> e : evaluations.entrySet()) {
                double ratio = ratio(() -> TRIVIAL.count(t), () -> e.getValue().apply(t), PATTERN_BOUND);
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
        for (int warm = 0; warm < 2; warm++) {
            gate.validate(ordinary, ContentType.ERROR_MESSAGE);
            texts.values().forEach(text -> gate.validate(text, ContentType.ERROR_MESSAGE));
        }
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstName = "";
        for (ContentType type : ContentType.values()) {
            for (Map.Entry<String, String> text : texts.entrySet()) {
                double ratio = ratio(() -> gate.validate(ordinary, type), () -> gate.validate(text.getValue(), type),
                        VALIDATION_BOUND);
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

    /**
     * @return the cost of {@code subject} over the cost of {@code reference}, each the best of its
     *         tries; tries stop early once the ratio is within the bound (noise only ever raises it)
     */
    private static double ratio(Runnable reference, Runnable subject, double bound) {
        long bestReference = Long.MAX_VALUE;
        long bestSubject = Long.MAX_VALUE;
        double ratio = Double.MAX_VALUE;
        for (int i = 0; i < TRIES && ratio > bound / 2; i++) {
            bestReference = Math.min(bestReference, time(reference));
            bestSubject = Math.min(bestSubject, time(subject));
            ratio = (double) bestSubject / Math.max(1, bestReference);
        }
        return ratio;
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }
}
