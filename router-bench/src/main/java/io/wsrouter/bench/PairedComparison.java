package io.wsrouter.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A check of the JMH ratios that holds up on a shared machine: the peers of one workload run in
 * alternating bursts of about 20 ms in one JVM (the same states and operations as the JMH benchmarks),
 * after a warm-up of 3 s per peer (in alternating 100 ms slices), for 30 rounds, and each peer's time
 * per operation is the median over the rounds. Background
 * load then slows every peer alike instead of whichever benchmark happened to run during it, so the
 * ratio of medians stays put even when JMH's confidence intervals are wide. Single thread only; not a
 * substitute for JMH's numbers, which remain the reported throughput.
 *
 * <p>Prints one line {@code PAIRED {json}} per peer and case.
 */
public final class PairedComparison {

    private static final int ROUNDS = 30;
    private static final long WARMUP_NANOS_PER_PEER = 3_000_000_000L;
    private static final long WARMUP_SLICE_NANOS = 100_000_000L;
    private static final long BURST_NANOS = 20_000_000L;

    private static volatile Object sink;

    private PairedComparison() {
    }

    /**
     * Runs the paired comparisons of W1 and W2.
     *
     * @param args the workloads to run ({@code w1}, {@code w2}, {@code broker}); none: {@code w1} and {@code w2}
     * @throws Exception when a peer fails
     */
    public static void main(String[] args) throws Exception {
        List<String> only = List.of(args); // empty: W1 and W2; else any of "w1", "w2", "broker"
        if (only.contains("broker")) {
            for (int users : new int[] {1_000, 10_000, EmitBenchmark.USERS}) {
                for (int perUser : new int[] {1, 4}) {
                    brokerCost(users, perUser);
                }
            }
        }
        if (only.isEmpty() || only.contains("w1")) {
            w1();
        }
        if (only.isEmpty() || only.contains("w2")) {
            for (int perUser : new int[] {1, 4}) {
                w2(perUser);
            }
        }
    }

    private static void w1() throws Exception {
        RouteBenchmark bench = new RouteBenchmark();
        RouteBenchmark.Connection connection = new RouteBenchmark.Connection();
        connection.init(0);
        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        for (int extra : new int[] {0, 1000}) {
            RouteBenchmark.Wsrouter ws = new RouteBenchmark.Wsrouter();
            ws.extraHandlers = extra;
            ws.setUp();
            RouteBenchmark.Naive naive = new RouteBenchmark.Naive();
            naive.extraHandlers = extra;
            naive.setUp();
            ops.put("wsrouter|" + extra, () -> bench.wsrouter(ws, connection));
            ops.put("naive|" + extra, () -> bench.naive(naive, connection));
        }
        // The cost of observation: the same router with an observer that times every message into a
        // counter (what a metrics bridge does), against "wsrouter|0" without one.
        RouteBenchmark.Wsrouter observed = new RouteBenchmark.Wsrouter();
        java.util.concurrent.atomic.LongAdder routedNanos = new java.util.concurrent.atomic.LongAdder();
        observed.observer = new io.wsrouter.core.RoutingObserver() {
            @Override
            public void messageRouted(String type, String handler, io.wsrouter.core.RouteOutcome outcome, long nanos) {
                routedNanos.add(nanos);
            }
        };
        observed.setUp();
        ops.put("wsrouterObserved|0", () -> bench.wsrouter(observed, connection));
        RouteBenchmark.Spring spring = new RouteBenchmark.Spring();
        spring.setUp();
        ops.put("spring|0", () -> bench.spring(spring, connection));
        report("W1", "extraHandlers", measure(ops));
        spring.tearDown();
    }

    private static void w2(int perUser) throws Exception {
        EmitBenchmark bench = new EmitBenchmark();
        EmitBenchmark.Wsrouter ws = new EmitBenchmark.Wsrouter();
        ws.connectionsPerUser = perUser;
        ws.setUp();
        EmitBenchmark.WsrouterUnsequenced unsequenced = new EmitBenchmark.WsrouterUnsequenced();
        unsequenced.connectionsPerUser = perUser;
        unsequenced.setUp();
        EmitBenchmark.Naive naive = new EmitBenchmark.Naive();
        naive.connectionsPerUser = perUser;
        naive.setUp();
        EmitBenchmark.SpringRaisedCache spring = new EmitBenchmark.SpringRaisedCache();
        spring.connectionsPerUser = perUser;
        spring.setUp();
        EmitBenchmark.Cursor wsCursor = new EmitBenchmark.Cursor();
        EmitBenchmark.Cursor unsequencedCursor = new EmitBenchmark.Cursor();
        EmitBenchmark.Cursor naiveCursor = new EmitBenchmark.Cursor();
        EmitBenchmark.Cursor springCursor = new EmitBenchmark.Cursor();
        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        ops.put("wsrouter|" + perUser, () -> bench.wsrouter(ws, wsCursor));
        ops.put("wsrouterUnsequenced|" + perUser, () -> bench.wsrouterUnsequenced(unsequenced, unsequencedCursor));
        ops.put("naive|" + perUser, () -> bench.naive(naive, naiveCursor));
        ops.put("springRaisedCache|" + perUser, () -> {
            bench.springRaisedCache(spring, springCursor);
            return spring;
        });
        report("W2", "connectionsPerUser", measure(ops));
        ws.tearDown();
        unsequenced.tearDown();
        spring.tearDown();
    }

    /**
     * The broker's cost (W2 with the in-memory broker against the unsequenced baseline) by population:
     * where every stream stays in cache (1,000 users) and where none does (W2's 100,000), to show how
     * much of the cost is the broker's per-user state missing the cache rather than its work; with the
     * floor of any broker that keeps per-user state beside the pool ({@link OffsetOnlyBroker}).
     */
    private static void brokerCost(int users, int perUser) throws Exception {
        EmitBenchmark bench = new EmitBenchmark();
        EmitBenchmark.Wsrouter ws = new EmitBenchmark.Wsrouter();
        ws.connectionsPerUser = perUser;
        ws.setUp(users);
        EmitBenchmark.WsrouterUnsequenced unsequenced = new EmitBenchmark.WsrouterUnsequenced();
        unsequenced.connectionsPerUser = perUser;
        unsequenced.setUp(users);
        EmitBenchmark.WsrouterOffsetOnly offsetOnly = new EmitBenchmark.WsrouterOffsetOnly();
        offsetOnly.connectionsPerUser = perUser;
        offsetOnly.setUp(users);
        EmitBenchmark.Cursor wsCursor = new EmitBenchmark.Cursor();
        EmitBenchmark.Cursor unsequencedCursor = new EmitBenchmark.Cursor();
        EmitBenchmark.Cursor offsetOnlyCursor = new EmitBenchmark.Cursor();
        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        String param = users + "x" + perUser;
        ops.put("wsrouter|" + param, () -> bench.wsrouter(ws, wsCursor));
        ops.put("wsrouterUnsequenced|" + param, () -> bench.wsrouterUnsequenced(unsequenced, unsequencedCursor));
        ops.put("wsrouterOffsetOnly|" + param, () -> bench.wsrouterOffsetOnly(offsetOnly, offsetOnlyCursor));
        report("W2broker", "usersXconnectionsPerUser", measure(ops));
        ws.tearDown();
        unsequenced.tearDown();
        offsetOnly.tearDown();
    }

    /** @return per operation name, the median and the minimum ns/op over the measured rounds */
    private static Map<String, double[]> measure(Map<String, Callable<Object>> ops) throws Exception {
        Map<String, Integer> burst = new LinkedHashMap<>();
        Map<String, List<Double>> nanos = new LinkedHashMap<>();
        for (String name : ops.keySet()) {
            burst.put(name, 100);
            nanos.put(name, new ArrayList<>());
        }
        // Warm-up as JMH's (3 s per peer), in turns of 100 ms, sizing each peer's burst on the way.
        for (long warmed = 0; warmed < WARMUP_NANOS_PER_PEER; warmed += WARMUP_SLICE_NANOS) {
            for (Map.Entry<String, Callable<Object>> op : ops.entrySet()) {
                long sliceEnd = System.nanoTime() + WARMUP_SLICE_NANOS;
                while (System.nanoTime() < sliceEnd) {
                    int n = burst.get(op.getKey());
                    long elapsed = run(op.getValue(), n);
                    burst.put(op.getKey(), (int) Math.max(100, Math.min(1_000_000, (double) n * BURST_NANOS / Math.max(1, elapsed))));
                }
            }
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Callable<Object>> op : ops.entrySet()) {
                int n = burst.get(op.getKey());
                nanos.get(op.getKey()).add((double) run(op.getValue(), n) / n);
            }
        }
        Map<String, double[]> result = new LinkedHashMap<>();
        nanos.forEach((name, values) -> {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            result.put(name, new double[] {sorted.get(sorted.size() / 2), sorted.get(0)});
        });
        return result;
    }

    private static long run(Callable<Object> call, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink = call.call();
        }
        return System.nanoTime() - start;
    }

    private static void report(String workload, String param, Map<String, double[]> results) {
        results.forEach((key, values) -> {
            String[] parts = key.split("\\|");
            System.out.println(String.format(Locale.ROOT,
                    "PAIRED {\"workload\":\"%s\",\"peer\":\"%s\",\"param\":\"%s\",\"value\":\"%s\",\"medianNs\":%.1f,\"minNs\":%.1f}",
                    workload, parts[0], param, parts[1], values[0], values[1]));
        });
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
    }
}
