package io.wsrouter.quality;

import io.wsrouter.core.RecordingRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gate and the dispatcher used from many threads at once. */
class QualityConcurrencyTest {

    private static final int THREADS = 8;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private void runAll(List<Callable<Void>> tasks) throws Exception {
        List<Future<Void>> futures = new ArrayList<>();
        for (Callable<Void> t : tasks) {
            futures.add(pool.submit(t));
        }
        for (Future<Void> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void theGateGivesTheSameScoresFromManyThreads() throws Exception {
        HeuristicQualityGate gate = (HeuristicQualityGate) QualityGateService.builder().cacheSize(16).build();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add("Set batch_size=" + i + " and enable quantization to cut p99 latency from 120ms to 80ms.");
        }
        // Optimization does not weigh novelty, so a text's overall score cannot depend on who saw it first.
        QualityGateService reference = QualityGateService.builder().build();
        Map<String, Double> expected = new java.util.HashMap<>();
        for (String t : texts) {
            expected.put(t, reference.validate(t, ContentType.OPTIMIZATION).metrics().overallScore());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int offset = t;
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < 400; i++) {
                    String text = texts.get((i + offset) % texts.size());
                    assertThat(gate.validate(text, ContentType.OPTIMIZATION).metrics().overallScore())
                            .isEqualTo(expected.get(text));
                }
                return null;
            });
        }
        start.countDown();
        runAll(tasks);
        assertThat(gate.cacheSize()).isLessThanOrEqualTo(16);
        assertThat(gate.statistics().get(ContentType.OPTIMIZATION).count()).isEqualTo(100);
    }

    @Test
    void routingValidationsWhileAlertsAreRaisedDeliversEachFrameOnce() throws Exception {
        QualityDispatcher quality = QualityDispatcher.builder().build();
        RecordingRegistry registry = new RecordingRegistry();
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(registry).quality(quality).build()) {
            for (int t = 0; t < THREADS; t++) {
                router.routeMessage("user-" + t, "conn-" + t,
                        QualityDispatcherRoutingTest.frame("subscribe_quality_alerts", Map.of(), null));
            }
            int validations = 100;
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                tasks.add(() -> {
                    start.await();
                    for (int i = 0; i < validations; i++) {
                        assertThat(router.routeMessage("user-" + thread, "conn-" + thread,
                                QualityDispatcherRoutingTest.frame("validate_content",
                                        Map.of("content", "Use a cache, thread " + thread + " item " + i), "m-" + i)))
                                .isTrue();
                        // Each thread's agent fails critically 10 times: one alert per agent.
                        if (i % 10 == 0) {
                            quality.monitoring().recordQualityEvent("agent-" + thread, ContentType.GENERAL,
                                    QualityMetrics.builder().overallScore(0.1).build());
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            runAll(tasks);
            for (int t = 0; t < THREADS; t++) {
                String conn = "conn-" + t;
                assertThat(registry.jsonOf(conn, "content_validation_result")).hasSize(validations);
                assertThat(registry.jsonOf(conn, "quality_alert"))
                        .extracting(f -> f.path("data").path("agent").asText())
                        .hasSize(THREADS)
                        .doesNotHaveDuplicates();
            }
            assertThat(router.statistics().qualityMessages()).isEqualTo(THREADS + (long) THREADS * validations);
        }
    }
}
