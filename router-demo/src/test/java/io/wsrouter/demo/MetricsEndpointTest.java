package io.wsrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.RoutingStatistics;
import io.wsrouter.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} after the golden path: parsed as Prometheus text, its figures are what was done. */
class MetricsEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private DemoServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static double value(List<PrometheusText.Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .mapToDouble(PrometheusText.Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels));
    }

    private static double sum(List<PrometheusText.Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(PrometheusText.Sample::value).sum();
    }

    private WsClient connect(String user) throws Exception {
        WsClient client = WsClient.connect(http, URI.create("ws://" + server.host() + ":" + server.port() + "/ws?user=" + user), user);
        client.send("{\"type\":\"connect\"}");
        client.awaitFrame(f -> "system_message".equals(f.path("type").asText())
                && "connected".equals(f.path("data").path("status").asText()));
        return client;
    }

    private HttpResponse<String> scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScrapeAfterTheGoldenPathCountsExactlyWhatWasRouted() throws Exception {
        server = DemoServer.builder().port(0).stepDelay(Duration.ofMillis(5)).start();
        try (WsClient alice = connect("alice"); WsClient bob = connect("bob")) {
            alice.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"hello router world\"},\"message_id\":\"m-1\"}");
            alice.awaitFrame(f -> "agent_completed".equals(f.path("type").asText()));
            bob.send("{\"type\":\"ping\"}");
            bob.awaitFrame(f -> "pong".equals(f.path("type").asText()));
            bob.send("{not json");
            bob.awaitFrame(f -> "error_message".equals(f.path("type").asText()));

            // A reply can reach the client before the server's routing call has returned and been
            // counted (the count is taken when routeMessage ends): scrape until all five calls are in.
            HttpResponse<String> response = scrape();
            List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
            for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                 value(samples, "wsrouter_route_seconds_count", Map.of()) < 5 && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
                response = scrape();
                samples = PrometheusText.parse(response.body());
            }
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue(MetricsHandler.CONTENT_TYPE);

            assertThat(value(samples, "wsrouter_messages_total", Map.of("type", "connect", "outcome", "handled"))).isEqualTo(2);
            assertThat(value(samples, "wsrouter_messages_total", Map.of("type", "user_message", "outcome", "handled"))).isEqualTo(1);
            assertThat(value(samples, "wsrouter_messages_total", Map.of("type", "ping", "outcome", "handled"))).isEqualTo(1);
            assertThat(value(samples, "wsrouter_messages_total", Map.of("type", "none", "outcome", "rejected"))).isEqualTo(1);
            assertThat(sum(samples, "wsrouter_messages_total")).isEqualTo(5);
            assertThat(value(samples, "wsrouter_messages_rejected_total", Map.of("code", "INVALID_JSON"))).isEqualTo(1);
            assertThat(sum(samples, "wsrouter_messages_rejected_total")).isEqualTo(1);
            assertThat(value(samples, "wsrouter_route_seconds_count", Map.of())).isEqualTo(5);
            double p50 = value(samples, "wsrouter_route_percentile_seconds", Map.of("phi", "0.5"));
            double p99 = value(samples, "wsrouter_route_percentile_seconds", Map.of("phi", "0.99"));
            assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo(value(samples, "wsrouter_route_max_seconds", Map.of()));
            assertThat(value(samples, "wsrouter_connections", Map.of())).isEqualTo(2);
            assertThat(value(samples, "wsrouter_users", Map.of())).isEqualTo(2);
            assertThat(value(samples, "wsrouter_broker_events_total", Map.of("outcome", "published")))
                    .isEqualTo(server.router().broker().orElseThrow().statistics().published()).isPositive();

            RoutingStatistics stats = server.router().statistics();
            assertThat(stats.routingTime().count()).isEqualTo(5);
            assertThat(stats.rejectedMessages()).isEqualTo(1);

            // Frames count as sent once their write completed, which may trail the client's receipt.
            int received = alice.frames().size() + bob.frames().size();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            double sent = 0;
            while (System.nanoTime() < deadline) {
                sent = value(PrometheusText.parse(scrape().body()), "wsrouter_frames_total", Map.of("outcome", "sent"));
                if (sent >= received) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(sent).isGreaterThanOrEqualTo(received);
        }
    }

    @Test
    void theParserReadsLabelsEscapesAndSpecialValues() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("# HELP x y\n# TYPE a counter\n"
                + "a_total{k=\"v\",q=\"say \\\"hi\\\"\\n\"} 1.5E-5\nb +Inf 1700000000\n\nc NaN\n");
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0)).isEqualTo(new PrometheusText.Sample("a_total", Map.of("k", "v", "q", "say \"hi\"\n"), 1.5E-5));
        assertThat(samples.get(1).value()).isInfinite();
        assertThat(samples.get(2).value()).isNaN();
    }
}
