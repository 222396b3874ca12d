package io.wsrouter.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The default monitor used from many threads at once: recording, subscribing, reading, cycling. */
class InMemoryQualityMonitorConcurrencyTest {

    private static final int THREADS = 8;
    private static final int EVENTS_PER_THREAD = 2_000;
    private static final int AGENTS = 4;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void recordingSubscribingAndReadingFromManyThreadsLosesNothing() throws Exception {
        InMemoryQualityMonitor monitor = (InMemoryQualityMonitor) QualityMonitoringService.builder()
                .maxEventsPerAgent(100_000).build();
        AtomicInteger criticalHeard = new AtomicInteger();
        monitor.addListener(a -> {
            if (a.id().startsWith("critical_")) {
                criticalHeard.incrementAndGet();
            }
        });
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit((Callable<Void>) () -> {
                start.await();
                for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                    // One event in ten is a critical failure of agent-0: one alert for all threads.
                    double score = (i % 10 == 0 && i % AGENTS == 0) ? 0.1 : 0.8;
                    monitor.recordQualityEvent("agent-" + (i % AGENTS), ContentType.GENERAL,
                            QualityMetrics.builder().overallScore(score).build(), "user-" + thread, null, null);
                    String subscriber = "user-" + thread + "-" + (i % 50);
                    if (i % 3 == 2) {
                        monitor.unsubscribe(subscriber);
                    } else {
                        monitor.subscribe(subscriber);
                    }
                }
                return null;
            }));
        }
        futures.add(pool.submit((Callable<Void>) () -> {
            start.await();
            for (int i = 0; i < 200; i++) {
                Map<String, Object> d = monitor.dashboard();
                assertThat(d).containsKeys("overall_stats", "agent_profiles", "quality_distribution");
                monitor.agentReport("agent-1", 24);
                monitor.subscribers();
            }
            return null;
        }));
        futures.add(pool.submit((Callable<Void>) () -> {
            start.await();
            for (int i = 0; i < 50; i++) {
                monitor.runCycle();
            }
            return null;
        }));
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }

        Map<String, Object> stats = (Map<String, Object>) monitor.dashboard().get("overall_stats");
        assertThat(stats.get("total_events")).isEqualTo(THREADS * EVENTS_PER_THREAD);
        for (int a = 0; a < AGENTS; a++) {
            assertThat(monitor.bufferedEvents("agent-" + a)).contains(THREADS * EVENTS_PER_THREAD / AGENTS);
        }
        // The last operation on each subscriber id decides: i % 3 == 2 unsubscribes. For i % 50 = k,
        // the last i < 2000 with that residue is 1950 + k.
        List<String> expected = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            for (int k = 0; k < 50; k++) {
                if ((1950 + k) % 3 != 2) {
                    expected.add("user-" + t + "-" + k);
                }
            }
        }
        assertThat(monitor.subscribers()).containsExactlyInAnyOrderElementsOf(expected);
        // De-duplication holds under contention: agent-0's critical failures made exactly one alert.
        assertThat(monitor.activeAlerts().stream().filter(a -> a.id().startsWith("critical_"))).hasSize(1);
        assertThat(criticalHeard).hasValue(1);
    }

    @Test
    void manyNewAgentsAtOnceStayWithinTheBound() throws Exception {
        InMemoryQualityMonitor monitor = (InMemoryQualityMonitor) QualityMonitoringService.builder()
                .maxAgents(16).build();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit((Callable<Void>) () -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                    monitor.recordQualityEvent("agent-" + thread + "-" + i, ContentType.GENERAL,
                            QualityMetrics.builder().overallScore(0.8).build());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(monitor.agentCount()).isEqualTo(16);
    }
}
