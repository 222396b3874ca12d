package io.wsrouter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every workload against every peer in one go and writes, under the output directory,
 * {@code jmh.json} (all JMH results, with {@code -prof gc}), {@code paired.json} (the
 * {@link PairedComparison}), {@code memory.json} (the W3 probes) and {@code results.md} (the table of
 * ratios). The JMH runs: W1 single-threaded with 0/10/100/1000 extra
 * handlers (wsrouter and naive; Spring with its twelve methods), W1 on two threads with no extra
 * handler, the W1 breakdown (diagnostics), W2 for 1 and 4 connections per user. The paired comparison
 * and each W3 probe run in a JVM of their own.
 *
 * <p>Settings, as system properties: {@code bench.warmupIterations} (3; W2: {@code bench.w2WarmupIterations},
 * 6), {@code bench.iterations} (5),
 * {@code bench.iterationMillis} (1000), {@code bench.forks} (1), {@code bench.probeUsers} (250000),
 * {@code bench.skip} (a comma list of {@code w1,w1threads,breakdown,w2,w5,paired,w3}).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.wsrouter.bench.BenchmarkSuite [outputDir]}.
 */
public final class BenchmarkSuite {

    private BenchmarkSuite() {
    }

    /**
     * Runs the suite.
     *
     * @param args the output directory (default {@code router-bench/target})
     * @throws Exception when a run or a probe fails
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "router-bench/target");
        Files.createDirectories(out);
        List<String> skip = List.of(System.getProperty("bench.skip", "").split(","));
        String loadBefore = Machine.loadAverage();
        long started = System.nanoTime();

        List<RunResult> results = new ArrayList<>();
        if (!skip.contains("w1")) {
            results.addAll(run(options().include(RouteBenchmark.class.getName() + "\\.").threads(1)));
        }
        if (!skip.contains("w1threads")) {
            results.addAll(run(options().include(RouteBenchmark.class.getName() + "\\.").threads(2)
                    .param("extraHandlers", "0")));
        }
        if (!skip.contains("breakdown")) {
            results.addAll(run(options().include(RouteBreakdownBenchmark.class.getName() + "\\.").threads(1)));
        }
        if (!skip.contains("w2")) {
            // W2 keeps getting faster for about 6 s after its 100,000-user setup (seen in every run: its
            // measured iterations rose by up to 50% one after the other with 3 warm-ups), so it warms longer.
            results.addAll(run(options().include(EmitBenchmark.class.getName() + "\\.").threads(1)
                    .warmupIterations(Integer.getInteger("bench.w2WarmupIterations", 6))));
        }
        if (!skip.contains("w5")) {
            results.addAll(run(options().include(ResumeBenchmark.class.getName() + "\\.").threads(1)));
        }
        Path jmhJson = out.resolve("jmh.json");
        ResultFormatFactory.getInstance(ResultFormatType.JSON, jmhJson.toString()).writeOut(results);

        List<String> paired = new ArrayList<>();
        if (!skip.contains("paired")) {
            System.out.println("# Paired comparison (peers interleaved in one JVM)");
            paired.addAll(fork(PairedComparison.class, List.of("-Xms4g", "-Xmx4g"), List.of(), "PAIRED "));
        }
        Path pairedJson = out.resolve("paired.json");
        Files.writeString(pairedJson, "[\n" + String.join(",\n", paired) + "\n]\n", StandardCharsets.UTF_8);

        List<String> probes = new ArrayList<>();
        if (!skip.contains("w3")) {
            int users = Integer.getInteger("bench.probeUsers", MemoryProbe.DEFAULT_USERS);
            for (String implementation : List.of("wsrouter", "naive", "spring-registry", "spring-registry-broker")) {
                System.out.println("# W3 probe: " + implementation);
                // Serial GC: its used heap after a full collection is exactly the live data.
                probes.addAll(fork(MemoryProbe.class, List.of("-XX:+UseSerialGC", "-Xms4g", "-Xmx4g"),
                        List.of(implementation, Integer.toString(users)), "PROBE "));
            }
        }
        Path memoryJson = out.resolve("memory.json");
        Files.writeString(memoryJson, "[\n" + String.join(",\n", probes) + "\n]\n", StandardCharsets.UTF_8);

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        Machine machine = Machine.describe(loadBefore, Machine.loadAverage(), seconds);
        Path markdown = out.resolve("results.md");
        Files.writeString(markdown, ResultsReport.render(jmhJson, pairedJson, memoryJson, machine), StandardCharsets.UTF_8);
        System.out.println("Wrote " + jmhJson + ", " + pairedJson + ", " + memoryJson + " and " + markdown + " in " + seconds + " s");
    }

    private static ChainedOptionsBuilder options() {
        TimeValue time = TimeValue.milliseconds(Long.getLong("bench.iterationMillis", 1000));
        return new OptionsBuilder()
                .forks(Integer.getInteger("bench.forks", 1))
                .warmupIterations(Integer.getInteger("bench.warmupIterations", 3))
                .warmupTime(time)
                .measurementIterations(Integer.getInteger("bench.iterations", 5))
                .measurementTime(time)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true);
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    /**
     * Runs a main class in a fresh JVM with this classpath, echoes its output, and returns the lines
     * that start with the prefix (without it).
     */
    private static List<String> fork(Class<?> main, List<String> jvmArgs, List<String> args, String prefix)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> results = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println(line);
                if (line.startsWith(prefix)) {
                    results.add(line.substring(prefix.length()));
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || results.isEmpty()) {
            throw new IllegalStateException(main.getSimpleName() + " " + args + " failed with exit code " + exit);
        }
        return results;
    }
}
