package io.wsrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.Message;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.core.SubDispatcher;
import io.wsrouter.events.ConnectionPool;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WsrouterMetricsTest {

    private final Fixtures.RecordingManager manager = new Fixtures.RecordingManager();
    private final ConnectionPool pool = ConnectionPool.builder(manager).build();
    private final WsrouterMetrics metrics = WsrouterMetrics.builder().connectionPool(pool).build();
    private final CanonicalMessageRouter router = CanonicalMessageRouter.builder()
            .connectionPool(pool)
            .customHandler(new Fixtures.Bomb())
            .observer(metrics.observer())
            .build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        router.close();
    }

    static double messages(MeterRegistry registry, String type, String outcome) {
        return registry.get(WsrouterMetrics.MESSAGES).tags("type", type, "outcome", outcome).functionCounter().count();
    }

    @Test
    void everyRoutedFrameIsCountedByTypeAndOutcomeAndTimed() {
        metrics.bindTo(registry);
        assertThat(router.routeMessage("alice", "c1", Fixtures.frame("ping"))).isTrue();
        assertThat(router.routeMessage("alice", "c1", Fixtures.frame("ping"))).isTrue();
        assertThat(router.routeMessage("alice", "c1", Fixtures.frame("no_such_type"))).isTrue();
        assertThat(router.routeMessage("alice", "c1", "{not json")).isFalse();
        assertThat(router.routeMessage("alice", "c1", Fixtures.frame("boom"))).isFalse();

        assertThat(messages(registry, "ping", "handled")).isEqualTo(2);
        assertThat(messages(registry, "unknown", "unhandled")).isEqualTo(1);
        assertThat(messages(registry, "none", "rejected")).isEqualTo(1);
        assertThat(messages(registry, "boom", "failed")).isEqualTo(1);
        assertThat(registry.find(WsrouterMetrics.MESSAGES).tag("type", "no_such_type").meters()).isEmpty();

        assertThat(registry.get(WsrouterMetrics.REJECTED).tag("code", "INVALID_JSON").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(WsrouterMetrics.REJECTED).tag("code", "HANDLER_ERROR").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(WsrouterMetrics.REJECTED).tag("code", "FORBIDDEN").functionCounter().count()).isZero();
        assertThat(registry.get(WsrouterMetrics.HANDLER_ERRORS).tag("handler", "Bomb").functionCounter().count()).isEqualTo(1);

        FunctionTimer route = registry.get(WsrouterMetrics.ROUTE).functionTimer();
        assertThat(route.count()).isEqualTo(5);
        assertThat(route.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        double max = registry.get(WsrouterMetrics.ROUTE_MAX).timeGauge().value(TimeUnit.NANOSECONDS);
        double p50 = registry.get(WsrouterMetrics.ROUTE_PERCENTILE).tag("phi", "0.5").timeGauge().value(TimeUnit.NANOSECONDS);
        double p99 = registry.get(WsrouterMetrics.ROUTE_PERCENTILE).tag("phi", "0.99").timeGauge().value(TimeUnit.NANOSECONDS);
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(max);
        assertThat(registry.get(WsrouterMetrics.HANDLER).tag("handler", "HeartbeatHandler").functionTimer().count()).isEqualTo(2);

        assertThat(registry.get(WsrouterMetrics.CONNECTIONS).gauge().value()).isEqualTo(1);
        assertThat(registry.get(WsrouterMetrics.USERS).gauge().value()).isEqualTo(1);
        assertThat(registry.get(WsrouterMetrics.QUEUED).gauge().value()).isZero();
        // pong, pong, ack, error (INVALID_JSON), error (HANDLER_ERROR): all sent at once by the manager
        assertThat(manager.frames).hasSize(5);
        assertThat(registry.get(WsrouterMetrics.FRAMES).tag("outcome", "sent").functionCounter().count()).isEqualTo(5);
        assertThat(registry.get(WsrouterMetrics.FRAMES).tag("outcome", "dropped").functionCounter().count()).isZero();

        assertThat(router.unregisterConnection("c1")).isTrue();
        assertThat(registry.get(WsrouterMetrics.REMOVED).tag("reason", "unregistered").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get(WsrouterMetrics.CONNECTIONS).gauge().value()).isZero();
        assertThat(registry.get(WsrouterMetrics.USERS).gauge().value()).isZero();
    }

    @Test
    void theMetersAgreeWithTheRoutersStatistics() {
        metrics.bindTo(registry);
        for (String frame : new String[] {Fixtures.frame("ping"), Fixtures.frame("heartbeat"), Fixtures.frame("nope"),
                "[]", "{\"type\":1}", Fixtures.frame("boom"), Fixtures.frame("user_message")}) {
            router.routeMessage("bob", "c2", frame);
        }
        var stats = router.statistics();
        double rejected = registry.get(WsrouterMetrics.REJECTED).functionCounters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(rejected).isEqualTo(stats.rejectedMessages());
        assertThat(registry.get(WsrouterMetrics.ROUTE).functionTimer().count()).isEqualTo(stats.routingTime().count());
        double unhandled = registry.get(WsrouterMetrics.MESSAGES).tag("outcome", "unhandled").functionCounters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(unhandled).isEqualTo(stats.unhandledMessages());
        assertThat(registry.get(WsrouterMetrics.HANDLER_ERRORS).functionCounters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(stats.handlerErrors());
        assertThat(registry.get(WsrouterMetrics.FRAMES).tag("outcome", "sent").functionCounter().count())
                .isEqualTo(stats.delivery().framesSent());
    }

    @Test
    void aRegistryBoundAfterTrafficSeesEverythingSinceTheRouterWasBuilt() {
        router.routeMessage("alice", "c1", Fixtures.frame("ping"));
        router.routeMessage("alice", "c1", "{not json");
        metrics.bindTo(registry);
        SimpleMeterRegistry later = new SimpleMeterRegistry();
        router.routeMessage("alice", "c1", Fixtures.frame("ping"));
        metrics.bindTo(later);
        metrics.bindTo(later); // binding twice changes nothing

        for (MeterRegistry r : new MeterRegistry[] {registry, later}) {
            assertThat(messages(r, "ping", "handled")).isEqualTo(2);
            assertThat(messages(r, "none", "rejected")).isEqualTo(1);
            assertThat(r.get(WsrouterMetrics.ROUTE).functionTimer().count()).isEqualTo(3);
            assertThat(r.get(WsrouterMetrics.CONNECTIONS).gauge().value()).isEqualTo(1);
        }
        assertThat(later.get(WsrouterMetrics.ROUTE).meters()).hasSize(1);
    }

    @Test
    void aTypeFirstSeenAfterBindingGetsItsMetersInEveryBoundRegistry() {
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.bindTo(second);
        router.routeMessage("alice", "c1", Fixtures.frame("heartbeat"));
        assertThat(messages(registry, "heartbeat", "handled")).isEqualTo(1);
        assertThat(messages(second, "heartbeat", "handled")).isEqualTo(1);
        assertThat(messages(second, "heartbeat", "unhandled")).isZero();
    }

    @Test
    void extraTagsGoOnEveryMeter() {
        WsrouterMetrics tagged = WsrouterMetrics.builder().connectionPool(pool).tags(Tags.of("router", "chat")).build();
        tagged.bindTo(registry);
        assertThat(registry.getMeters()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.getId().getTag("router")).isEqualTo("chat"));
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).allMatch(n -> n.startsWith("wsrouter."));
    }

    @Test
    void withoutAPoolThereAreNoPoolGauges() {
        WsrouterMetrics bare = WsrouterMetrics.create();
        bare.bindTo(registry);
        assertThat(registry.find(WsrouterMetrics.CONNECTIONS).meters()).isEmpty();
        assertThat(registry.find(WsrouterMetrics.MESSAGES).meters()).isNotEmpty();
        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getType).doesNotContainNull();
    }

    @Test
    void aQualitySubDispatcherHasItsGaugeAndItsMessagesCountUnderTheQualityHandler() {
        SubDispatcher quality = new SubDispatcher() {
            @Override
            public Set<String> claimedTypes() {
                return Set.of("get_quality_metrics", "validate_content");
            }

            @Override
            public boolean dispatch(RoutingContext context, Message message) {
                return true;
            }
        };
        WsrouterMetrics withQuality = WsrouterMetrics.builder().quality(quality).build();
        withQuality.bindTo(registry);
        try (CanonicalMessageRouter qualityRouter = CanonicalMessageRouter.builder()
                .quality(quality).observer(withQuality.observer()).build()) {
            qualityRouter.routeMessage("carol", Message.of("get_quality_metrics", Map.of()));
        }
        assertThat(registry.get(WsrouterMetrics.QUALITY_HANDLERS).gauge().value()).isEqualTo(2);
        assertThat(messages(registry, "get_quality_metrics", "handled")).isEqualTo(1);
        assertThat(registry.get(WsrouterMetrics.HANDLER).tag("handler", "quality").functionTimer().count()).isEqualTo(1);
    }

    @Test
    void theBoundsMustBePositive() {
        assertThatThrownBy(() -> WsrouterMetrics.builder().maxTypeTags(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTypeTags must be > 0 but was 0");
        assertThatThrownBy(() -> WsrouterMetrics.builder().maxHandlerTags(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxHandlerTags must be > 0 but was -1");
        assertThatThrownBy(() -> metrics.bindTo(null)).isInstanceOf(NullPointerException.class).hasMessage("registry");
    }
}
