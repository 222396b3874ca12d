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
 * {@code jmh.json} (all JMH results, with {@code -prof gc}), {@code memory.json} (the W3 probes) and
 * {@code results.md} (the table of ratios). The JMH runs: W1 single-threaded with 0/10/100/1000 extra
 * handlers (wsrouter and naive; Spring with its twelve methods), W1 on two threads with no extra
 * handler, the W1 breakdown (diagnostics), W2 for 1 and 4 connections per user. Each W3 probe runs in
 * its own JVM.
 *
 * <p>Settings, as system properties: {@code bench.warmupIterations} (3), {@code bench.iterations} (5),
 * {@code bench.iterationMillis} (1000), {@code bench.forks} (1), {@code bench.probeUsers} (250000),
 * {@code bench.skip} (a comma list of {@code w1,w1threads,breakdown,w2,w3}).
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
            results.addAll(run(options().include(EmitBenchmark.class.getName() + "\\.").threads(1)));
        }
        Path jmhJson = out.resolve("jmh.json");
        ResultFormatFactory.getInstance(ResultFormatType.JSON, jmhJson.toString()).writeOut(results);

        List<String> probes = new ArrayList<>();
        if (!skip.contains("w3")) {
            int users = Integer.getInteger("bench.probeUsers", MemoryProbe.DEFAULT_USERS);
            for (String implementation : List.of("wsrouter", "naive", "spring-registry", "spring-registry-broker")) {
                probes.add(probe(implementation, users));
            }
        }
        Path memoryJson = out.resolve("memory.json");
        Files.writeString(memoryJson, "[\n" + String.join(",\n", probes) + "\n]\n", StandardCharsets.UTF_8);

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        Machine machine = Machine.describe(loadBefore, Machine.loadAverage(), seconds);
        Path markdown = out.resolve("results.md");
        Files.writeString(markdown, ResultsReport.render(jmhJson, memoryJson, machine), StandardCharsets.UTF_8);
        System.out.println("Wrote " + jmhJson + ", " + memoryJson + " and " + markdown + " in " + seconds + " s");
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

    /** Runs one W3 probe in a fresh JVM (serial GC: its used heap after a full GC is the live data). */
    private static String probe(String implementation, int users) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-XX:+UseSerialGC", "-Xms4g", "-Xmx4g",
                "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                implementation, Integer.toString(users));
        System.out.println("# W3 probe: " + implementation);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println(line);
                if (line.startsWith("PROBE ")) {
                    result = line.substring("PROBE ".length());
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("memory probe " + implementation + " failed with exit code " + exit);
        }
        return result;
    }
}
