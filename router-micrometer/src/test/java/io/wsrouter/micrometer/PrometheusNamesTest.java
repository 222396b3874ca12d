package io.wsrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The names a Prometheus scrape shows are the ones the table of docs/observability.md documents. */
class PrometheusNamesTest {

    @Test
    void aPrometheusScrapeShowsTheDocumentedNames() {
        Fixtures.RecordingManager manager = new Fixtures.RecordingManager();
        ConnectionPool pool = ConnectionPool.builder(manager).build();
        WsrouterMetrics metrics = WsrouterMetrics.builder().connectionPool(pool).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool)
                .customHandler(new Fixtures.Bomb()).observer(metrics.observer()).build()) {
            router.routeMessage("alice", "c1", Fixtures.frame("ping"));
            router.routeMessage("alice", "c1", Fixtures.frame("boom"));
            router.unregisterConnection("c1");
        }
        String scrape = registry.scrape();
        Set<String> names = Arrays.stream(scrape.split("\n"))
                .filter(line -> line.startsWith("wsrouter_"))
                .map(line -> line.replaceAll("[{ ].*", ""))
                .collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder(
                "wsrouter_messages_total",
                "wsrouter_route_seconds_count", "wsrouter_route_seconds_sum",
                "wsrouter_route_percentile_seconds", "wsrouter_route_max_seconds",
                "wsrouter_handler_seconds_count", "wsrouter_handler_seconds_sum",
                "wsrouter_handler_errors_total",
                "wsrouter_messages_rejected_total",
                "wsrouter_frames_total",
                "wsrouter_connections_removed_total",
                "wsrouter_connections", "wsrouter_users", "wsrouter_frames_queued");
        assertThat(scrape).contains("wsrouter_messages_total{outcome=\"handled\",type=\"ping\"} 1")
                .contains("wsrouter_messages_total{outcome=\"failed\",type=\"boom\"} 1")
                .contains("wsrouter_route_seconds_count 2")
                .contains("wsrouter_route_percentile_seconds{phi=\"0.99\"}")
                .contains("wsrouter_handler_errors_total{handler=\"Bomb\"} 1")
                .contains("wsrouter_messages_rejected_total{code=\"HANDLER_ERROR\"} 1")
                .contains("wsrouter_connections_removed_total{reason=\"unregistered\"} 1")
                .contains("wsrouter_frames_total{outcome=\"sent\"} 2");
    }
}
