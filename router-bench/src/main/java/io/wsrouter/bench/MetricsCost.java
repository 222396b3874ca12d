package io.wsrouter.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsrouter.micrometer.WsrouterMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What router-micrometer costs a route: W1 (one frame routed to its handler, single thread) on a
 * router without observers and on the same setup with {@link WsrouterMetrics} installed and bound to
 * a {@code SimpleMeterRegistry}, paired in one JVM as {@link PairedComparison} does: the peers take
 * turns in bursts of about 20 ms after a warm-up of 3 s each, for {@code bench.rounds} rounds
 * (default 60), and each peer's time per route is the median over the rounds. The target (issue
 * 17): with metrics within 10% of without.
 *
 * <p>Each burst is timed twice: by the wall clock, and by the thread's CPU time
 * ({@link ThreadMXBean#getCurrentThreadCpuTime()}), which leaves out the time the thread was not
 * scheduled, and so holds up on a machine shared with other builds, where the wall-clock medians swing
 * with the load.
 *
 * <p>With {@code -Dbench.unbound=true} a third peer runs: the metrics' observer installed but no
 * registry bound (what the observer alone costs).
 *
 * <p>Prints one {@code METRICS_COST {json}} line per peer and one with the ratios. Run:
 * {@code java -cp router-bench/target/benchmarks.jar io.wsrouter.bench.MetricsCost}.
 */
public final class MetricsCost {

    private static final long WARMUP_NANOS_PER_PEER = 3_000_000_000L;
    private static final long SLICE_NANOS = 100_000_000L;
    private static final long BURST_NANOS = 20_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    private MetricsCost() {
    }

    /**
     * Runs the paired comparison.
     *
     * @param args unused
     * @throws Exception when a peer fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 60);
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

        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        ops.put("wsrouter", () -> bench.wsrouter(plain, connection));
        ops.put("wsrouterMetrics", () -> bench.wsrouter(metered, connection));
        if (Boolean.getBoolean("bench.unbound")) {
            RouteBenchmark.Wsrouter unbound = new RouteBenchmark.Wsrouter();
            unbound.observer = WsrouterMetrics.create().observer();
            unbound.setUp();
            ops.put("wsrouterObserverUnbound", () -> bench.wsrouter(unbound, connection));
        }
        Map<String, double[]> results = measure(ops, rounds);
        results.forEach((peer, r) -> System.out.println(String.format(Locale.ROOT,
                "METRICS_COST {\"peer\":\"%s\",\"wallMedianNs\":%.1f,\"wallMinNs\":%.1f,\"cpuMedianNs\":%.1f,\"cpuMinNs\":%.1f}",
                peer, r[0], r[1], r[2], r[3])));
        double[] without = results.get("wsrouter");
        double[] with = results.get("wsrouterMetrics");
        long timed = (long) registry.get(WsrouterMetrics.ROUTE).functionTimer().count();
        System.out.println(String.format(Locale.ROOT,
                "METRICS_COST {\"overheadWallMedian\":%.3f,\"overheadCpuMedian\":%.3f,\"overheadCpuMin\":%.3f,\"rounds\":%d,\"timedRoutes\":%d}",
                with[0] / without[0] - 1, with[2] / without[2] - 1, with[3] / without[3] - 1, rounds, timed));
        if (timed == 0 || sink == null) {
            throw new IllegalStateException("the metered router timed nothing");
        }
        plain.tearDown();
        metered.tearDown();
    }

    /** @return per peer: wall median, wall min, CPU median, CPU min (ns per operation) */
    private static Map<String, double[]> measure(Map<String, Callable<Object>> ops, int rounds) throws Exception {
        Map<String, Integer> burst = new LinkedHashMap<>();
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (String name : ops.keySet()) {
            burst.put(name, 100);
            wall.put(name, new ArrayList<>());
            cpu.put(name, new ArrayList<>());
        }
        for (long warmed = 0; warmed < WARMUP_NANOS_PER_PEER; warmed += SLICE_NANOS) {
            for (Map.Entry<String, Callable<Object>> op : ops.entrySet()) {
                long sliceEnd = System.nanoTime() + SLICE_NANOS;
                while (System.nanoTime() < sliceEnd) {
                    int n = burst.get(op.getKey());
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    run(op.getValue(), n);
                    long elapsed = THREADS.getCurrentThreadCpuTime() - cpuStart;
                    burst.put(op.getKey(), (int) Math.max(100, Math.min(1_000_000, (double) n * BURST_NANOS / Math.max(1, elapsed))));
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Callable<Object>> op : ops.entrySet()) {
                int n = burst.get(op.getKey());
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long wallStart = System.nanoTime();
                run(op.getValue(), n);
                long wallNanos = System.nanoTime() - wallStart;
                long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
                wall.get(op.getKey()).add((double) wallNanos / n);
                cpu.get(op.getKey()).add((double) cpuNanos / n);
            }
        }
        Map<String, double[]> result = new LinkedHashMap<>();
        for (String name : ops.keySet()) {
            List<Double> w = new ArrayList<>(wall.get(name));
            List<Double> c = new ArrayList<>(cpu.get(name));
            Collections.sort(w);
            Collections.sort(c);
            result.put(name, new double[] {w.get(w.size() / 2), w.get(0), c.get(c.size() / 2), c.get(0)});
        }
        return result;
    }

    private static void run(Callable<Object> call, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            sink = call.call();
        }
    }
}
