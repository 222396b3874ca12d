package io.wsrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsrouter.core.Broker;
import io.wsrouter.core.BrokerStatistics;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerMetricsTest {

    @Test
    void theBrokersFiguresAreCountersAndGaugesThatMatchItsStatistics() {
        Broker broker = Broker.inMemory();
        ConnectionPool pool = ConnectionPool.builder(new Fixtures.RecordingManager()).build();
        WsrouterMetrics metrics = WsrouterMetrics.builder().connectionPool(pool).broker(broker).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).broker(broker)
                .observer(metrics.observer()).build()) {
            router.registerConnection("alice", "c1");
            router.emitToUser("alice", "agent_thinking", Map.of("step", 1));
            router.emitToUser("alice", "agent_thinking", Map.of("step", 2));
            router.emitToUser("nobody", "agent_thinking", Map.of());
            BrokerStatistics stats = broker.statistics();
            assertThat(stats.published()).isEqualTo(2);
            assertThat(registry.get(WsrouterMetrics.BROKER_EVENTS).tag("outcome", "published").functionCounter().count())
                    .isEqualTo(stats.published());
            assertThat(registry.get(WsrouterMetrics.BROKER_EVENTS).tag("outcome", "unrouted").functionCounter().count())
                    .isEqualTo(stats.unrouted());
            assertThat(registry.get(WsrouterMetrics.BROKER_RESUMES).tag("outcome", "recovered").functionCounter().count()).isZero();
            assertThat(registry.get(WsrouterMetrics.BROKER_HISTORY_EVENTS).gauge().value()).isEqualTo(stats.historyEvents());
            assertThat(registry.get(WsrouterMetrics.BROKER_STREAMS).gauge().value()).isEqualTo(stats.streams()).isPositive();
            assertThat(registry.get(WsrouterMetrics.BROKER_HISTORY_SIZE).gauge().value()).isEqualTo(stats.historyBytes());
            assertThat(registry.get(WsrouterMetrics.BROKER_OUTAGE).functionCounter().count()).isZero();
            assertThat(registry.get(WsrouterMetrics.BROKER_GAPS).functionCounter().count()).isZero();
        }
    }
}
