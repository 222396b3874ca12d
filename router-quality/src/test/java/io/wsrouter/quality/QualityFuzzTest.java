package io.wsrouter.quality;

import io.wsrouter.core.RecordingRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.CanonicalMessageRouter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the quality dispatcher through the canonical router with {@code validate_content} frames,
 * and bounds the time of each input: an input whose validation costs more than
 * {@value #BOUND}x the validation of an ordinary text of the same length and type (each the best of
 * {@value #TRIES} tries, measured in the same run; no absolute time) is a finding, like a crash.
 *
 * <p>In {@code mvn verify} it runs in regression mode over the committed corpus under
 * {@code src/test/resources/io/wsrouter/quality/QualityFuzzTestInputs/<method>/}; to fuzz for a fixed
 * time (the {@code maxDuration}, 5 minutes):
 * {@code JAZZER_FUZZ=1 mvn -pl router-quality -am test -Dtest=QualityFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 * A finding is written to that folder as a regression input: fix it and commit it.
 *
 * <p>Input format (so that seeds can be written by hand): byte 0 picks the content type; byte 1 holds
 * the repeat exponent (low 4 bits: when bit 6 is set, the content is repeated 2^k times, up to the
 * 32 KiB limit), strict mode (bit 4) and whether the content is also the context's
 * {@code user_request} (bit 5); the rest is
 * the content, decoded as UTF-8. Repeating turns a short fuzzed pattern into a text at the frame limit,
 * where a backtracking blow-up shows.
 */
class QualityFuzzTest {

    static final double BOUND = 20;
    private static final int TRIES = 3;
    private static final ContentType[] TYPES = ContentType.values();
    private static final Set<String> CONTENT_ERRORS = Set.of("CONTENT_MISSING", "CONTENT_TOO_LARGE", "INVALID_PAYLOAD",
            "MESSAGE_TOO_LARGE");

    /** The router under test, one for all inputs (no gate cache, so every input is really validated). */
    private static final RecordingRegistry FUZZ_POOL = new RecordingRegistry();
    private static final CanonicalMessageRouter FUZZ_ROUTER = CanonicalMessageRouter.builder()
            .connectionPool(FUZZ_POOL)
            .quality(QualityDispatcher.builder().gate(QualityGateService.builder().cacheSize(0).build()).build())
            .build();
    private static final RecordingRegistry REFERENCE_POOL = new RecordingRegistry();
    private static final CanonicalMessageRouter REFERENCE_ROUTER = CanonicalMessageRouter.builder()
            .connectionPool(REFERENCE_POOL)
            .quality(QualityDispatcher.builder().gate(QualityGateService.builder().cacheSize(0).build()).build())
            .build();
    private static final Map<String, Long> REFERENCE = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        FUZZ_ROUTER.registerConnection("alice", "a1");
        FUZZ_ROUTER.registerConnection("bob", "b1");
        REFERENCE_ROUTER.registerConnection("ref", "r1");
    }

    @FuzzTest(maxDuration = "5m")
    void validateContentAnswersOnceWithinAMultipleOfAnOrdinaryText(byte[] input) {
        if (input.length < 2) {
            return;
        }
        ContentType type = TYPES[Byte.toUnsignedInt(input[0]) % TYPES.length];
        int flags = Byte.toUnsignedInt(input[1]);
        String unit = new String(input, 2, input.length - 2, StandardCharsets.UTF_8);
        int limit = QualityDispatcher.DEFAULT_MAX_CONTENT_LENGTH;
        StringBuilder sb = new StringBuilder(unit);
        int doublings = (flags & 0x40) != 0 ? flags & 0x0F : 0;
        for (int k = 0; k < doublings && !unit.isEmpty() && sb.length() * 2L <= limit; k++) {
            sb.append(sb);
        }
        String content = sb.toString();
        boolean strict = (flags & 0x10) != 0;
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("content", content);
        payload.put("content_type", type.wireValue());
        payload.put("strict_mode", strict);
        if ((flags & 0x20) != 0) {
            payload.put("context", Map.of("user_request", content));
        }
        String frame = QualityDispatcherRoutingTest.frame("validate_content", payload, "f-1");
        // The reference: ordinary prose of the same length, in the same kind of frame.
        String ordinary = HostileTexts.repeat("Set batch_size=32 to cut p99 latency from 120ms to 80ms. ",
                Math.max(1, content.length()));
        payload.put("content", ordinary);
        if (payload.containsKey("context")) {
            payload.put("context", Map.of("user_request", ordinary));
        }
        String referenceFrame = QualityDispatcherRoutingTest.frame("validate_content", payload, "f-1");

        RecordingRegistry pool = FUZZ_POOL;
        pool.clear();
        CanonicalMessageRouter router = FUZZ_ROUTER;
        long elapsed = time(() -> router.routeMessage("alice", "a1", frame));

        // Exactly one answer, to the sender only: a result, or an error with a content code (or the
        // router's frame limit, for content whose UTF-8 form is over 64 KiB).
        assertThat(pool.jsonOf("b1")).isEmpty();
        List<JsonNode> replies = pool.jsonOf("a1");
        assertThat(replies).hasSize(1);
        JsonNode reply = replies.get(0);
        if ("content_validation_result".equals(reply.path("type").asText())) {
            JsonNode metrics = reply.path("data").path("metrics");
            double overall = metrics.path("overall_score").asDouble(-1);
            assertThat(overall).isBetween(0.0, 1.0);
            assertThat(metrics.path("issues").toString()).doesNotContain("Validation error");
        } else {
            assertThat(reply.path("type").asText()).isEqualTo("error_message");
            assertThat(reply.path("data").path("error_code").asText()).isIn(CONTENT_ERRORS);
        }

        // The time bound, as a ratio to an ordinary text of the same length and type.
        String key = ordinary.length() + "/" + type + "/" + (flags & 0x30);
        double ratio = (double) elapsed / reference(key, referenceFrame);
        for (int i = 1; i < TRIES && ratio > BOUND; i++) {
            elapsed = Math.min(elapsed, time(() -> router.routeMessage("alice", "a1", frame)));
            REFERENCE.remove(key);
            ratio = (double) elapsed / reference(key, referenceFrame);
        }
        assertThat(ratio).as("cost of this input over an ordinary text of its length (%d chars, %s)",
                content.length(), type).isLessThanOrEqualTo(BOUND);
    }

    /** @return the best of a few routings of the ordinary frame, in ns (remembered per length, type and flags) */
    private static long reference(String key, String referenceFrame) {
        return REFERENCE.computeIfAbsent(key, k -> {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < TRIES; i++) {
                best = Math.min(best, time(() -> REFERENCE_ROUTER.routeMessage("ref", "r1", referenceFrame)));
            }
            REFERENCE_POOL.clear();
            return best;
        });
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }
}
