package io.wsrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BoundedCardinalityTest {

    private static final int TYPES = 10_000;

    private static Set<String> typeTags(SimpleMeterRegistry registry) {
        return registry.find(WsrouterMetrics.MESSAGES).meters().stream()
                .map(Meter::getId).map(id -> id.getTag("type")).collect(Collectors.toSet());
    }

    private static String randomType(Random random) {
        return "t" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    @Test
    void tenThousandRandomTypesNobodyHandlesAllCountUnderUnknown() {
        WsrouterMetrics metrics = WsrouterMetrics.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(new Fixtures.RecordingManager()).build())
                .observer(metrics.observer()).build()) {
            int metersBefore = registry.getMeters().size();
            Random random = new Random(17);
            for (int i = 0; i < TYPES; i++) {
                assertThat(router.routeMessage("mallory", "m1", Fixtures.frame(randomType(random)))).isTrue();
            }
            assertThat(typeTags(registry)).containsExactlyInAnyOrder("unknown", "none");
            assertThat(registry.getMeters()).hasSize(metersBefore);
            assertThat(WsrouterMetricsTest.messages(registry, "unknown", "unhandled")).isEqualTo(TYPES);
        }
    }

    @Test
    void evenACatchAllHandlerCannotGrowTheTypeTagsPastTheBound() {
        WsrouterMetrics metrics = WsrouterMetrics.builder().maxTypeTags(50).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(new Fixtures.RecordingManager()).build())
                .customHandler(new Fixtures.CatchAll())
                .observer(metrics.observer()).build()) {
            Random random = new Random(18);
            for (int i = 0; i < TYPES; i++) {
                router.routeMessage("mallory", "m1", Fixtures.frame(randomType(random)));
            }
            Set<String> tags = typeTags(registry);
            assertThat(tags).hasSize(50 + 2).contains("unknown", "none");
            double handled = registry.get(WsrouterMetrics.MESSAGES).tag("outcome", "handled").functionCounters().stream()
                    .mapToDouble(c -> c.count()).sum();
            assertThat(handled).isEqualTo(TYPES);
            assertThat(WsrouterMetricsTest.messages(registry, "unknown", "handled")).isEqualTo(TYPES - 50);
        }
    }
}
