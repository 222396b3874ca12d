package io.wsrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentRoutingTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 1_000;

    @Test
    void manyThreadsRoutingAtOnceAreCountedExactly() throws Exception {
        WsrouterMetrics metrics = WsrouterMetrics.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Fixtures.RecordingManager manager = new Fixtures.RecordingManager();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(manager).build())
                .customHandler(new Fixtures.Bomb())
                .observer(metrics.observer()).build()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String user = "user-" + t;
                String connection = "conn-" + t;
                boolean binder = t == 0;
                done.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < ROUNDS; i++) {
                        router.routeMessage(user, connection, Fixtures.frame("ping"));
                        router.routeMessage(user, connection, Fixtures.frame("type_" + (i % 500)));
                        router.routeMessage(user, connection, Fixtures.frame("boom"));
                        router.routeMessage(user, connection, "{not json");
                        if (binder && i == ROUNDS / 2) {
                            metrics.bindTo(registry); // a registry arriving in the middle of the traffic
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            long each = (long) THREADS * ROUNDS;
            assertThat(WsrouterMetricsTest.messages(registry, "ping", "handled")).isEqualTo(each);
            assertThat(WsrouterMetricsTest.messages(registry, "unknown", "unhandled")).isEqualTo(each);
            assertThat(WsrouterMetricsTest.messages(registry, "boom", "failed")).isEqualTo(each);
            assertThat(WsrouterMetricsTest.messages(registry, "none", "rejected")).isEqualTo(each);
            assertThat(registry.get(WsrouterMetrics.ROUTE).functionTimer().count()).isEqualTo(4 * each);
            assertThat(registry.get(WsrouterMetrics.HANDLER).tag("handler", "HeartbeatHandler").functionTimer().count()).isEqualTo(each);
            assertThat(registry.get(WsrouterMetrics.HANDLER_ERRORS).tag("handler", "Bomb").functionCounter().count()).isEqualTo(each);
            assertThat(registry.get(WsrouterMetrics.REJECTED).tag("code", "INVALID_JSON").functionCounter().count()).isEqualTo(each);
            assertThat(registry.get(WsrouterMetrics.FRAMES).tag("outcome", "sent").functionCounter().count())
                    .isEqualTo(manager.frames.size());
        } finally {
            executor.shutdownNow();
        }
    }
}
