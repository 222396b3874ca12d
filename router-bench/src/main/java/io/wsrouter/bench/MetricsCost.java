package io.wsrouter.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsrouter.micrometer.WsrouterMetrics;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What router-micrometer costs a route: W1 (one frame routed to its handler, single thread) on a
 * router without observers and on the same setup with {@link WsrouterMetrics} installed and bound to
 * a {@code SimpleMeterRegistry}, paired in one JVM as {@link PairedComparison} does (alternating
 * bursts, median of 30 rounds). The target (issue 17): with metrics within 10% of without.
 *
 * <p>With {@code -Dbench.unbound=true} a third peer runs: the metrics' observer installed but no
 * registry bound (what the observer alone costs).
 *
 * <p>Prints the {@code PAIRED} lines and one {@code METRICS_COST {json}} line with the ratio. Run:
 * {@code java -cp router-bench/target/benchmarks.jar io.wsrouter.bench.MetricsCost}.
 */
public final class MetricsCost {

    private MetricsCost() {
    }

    /**
     * Runs the paired comparison.
     *
     * @param args unused
     * @throws Exception when a peer fails
     */
    public static void main(String[] args) throws Exception {
        RouteBenchmark bench = new RouteBenchmark();
        RouteBenchmark.Connection connection = new RouteBenchmark.Connection();
        connection.init(0);

        RouteBenchmark.Wsrouter plain = new RouteBenchmark.Wsrouter();
        plain.setUp();

        RouteBenchmark.Wsrouter metered = new RouteBenchmark.Wsrouter();
        WsrouterMetrics metrics = WsrouterMetrics.create();
        metered.observer = metrics.observer();
        metered.setUp();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);

        RouteBenchmark.Wsrouter unbound = new RouteBenchmark.Wsrouter();
        unbound.observer = WsrouterMetrics.create().observer();
        unbound.setUp();

        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        if (Boolean.getBoolean("bench.unbound")) {
            ops.put("wsrouterUnbound|0", () -> bench.wsrouter(unbound, connection));
        }
        ops.put("wsrouter|0", () -> bench.wsrouter(plain, connection));
        ops.put("wsrouterMetrics|0", () -> bench.wsrouter(metered, connection));
        Map<String, double[]> results = PairedComparison.measure(ops);
        PairedComparison.report("W1", "extraHandlers", results);

        double without = results.get("wsrouter|0")[0];
        double with = results.get("wsrouterMetrics|0")[0];
        long routed = (long) registry.get(WsrouterMetrics.ROUTE).functionTimer().count();
        System.out.println(String.format(Locale.ROOT,
                "METRICS_COST {\"withoutNs\":%.1f,\"withNs\":%.1f,\"overhead\":%.3f,\"timedRoutes\":%d}",
                without, with, with / without - 1, routed));
        plain.tearDown();
        metered.tearDown();
    }
}
