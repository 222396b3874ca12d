package io.wsrouter.quality;

import java.util.Locale;
import java.util.Map;

/**
 * Measures the worst hostile validation: every {@link HostileTexts} family at the content limit,
 * validated as every content type (no cache), plus the same families as the context's
 * {@code user_request} of an ordinary text. Prints, per family, the best of several runs (the cost of
 * the work, not of the machine's other tenants), then an ordinary 32 KiB text and the worst family.
 * Not a test (it lives with the tests because router-bench does not depend on router-quality). Run,
 * from the repository root:
 * <pre>{@code
 * mvn -q -pl router-quality -am test-compile
 * mvn -q -pl router-quality dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp router-quality/target/test-classes:router-quality/target/classes:router-core/target/classes:$(cat router-quality/target/cp.txt) \
 *     io.wsrouter.quality.HostileValidationProbe 5
 * }</pre>
 */
public final class HostileValidationProbe {

    private HostileValidationProbe() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        QualityGateService gate = QualityGateService.builder().cacheSize(0).build();
        Map<String, String> families = HostileTexts.families(HostileTexts.LENGTH);
        String plain = HostileTexts.repeat("Set batch_size=32 to cut p99 latency from 120ms to 80ms. ", HostileTexts.LENGTH);
        // Warm up: every family, every type, twice.
        for (int w = 0; w < 2; w++) {
            for (String text : families.values()) {
                for (ContentType type : ContentType.values()) {
                    gate.validate(text, type, Map.of("user_request", text), false);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-40s %10s %10s  %s%n", "family (32 KiB content)", "worst ms", "ctx ms", "worst type");
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, String> e : families.entrySet()) {
            double familyWorst = 0;
            ContentType worstType = null;
            for (ContentType type : ContentType.values()) {
                double ms = best(runs, () -> gate.validate(e.getValue(), type, null, false));
                if (ms > familyWorst) {
                    familyWorst = ms;
                    worstType = type;
                }
            }
            // The same text as the question (relevance compares the request's words with the content).
            Map<String, Object> context = Map.of("user_request", e.getValue());
            double withContext = best(runs, () -> gate.validate(plain, ContentType.GENERAL, context, false));
            System.out.printf(Locale.ROOT, "%-40s %10.2f %10.2f  %s%n", e.getKey(), familyWorst, withContext, worstType);
            if (Math.max(familyWorst, withContext) > worst) {
                worst = Math.max(familyWorst, withContext);
                worstName = e.getKey();
            }
        }
        double baseline = best(runs, () -> gate.validate(plain, ContentType.GENERAL, null, false));
        System.out.printf(Locale.ROOT, "%-40s %10.2f%n", "ordinary 32 KiB text (general)", baseline);
        System.out.printf(Locale.ROOT, "WORST: %.2f ms (%s)%n", worst, worstName);
    }

    private static double best(int runs, Runnable r) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e6;
    }
}
