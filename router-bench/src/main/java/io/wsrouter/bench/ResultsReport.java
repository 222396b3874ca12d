package io.wsrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code jmh.json}, {@code paired.json} and {@code memory.json} into the markdown table of ratios (wsrouter / peer, per
 * workload) and the verdict on each target. Can be re-run alone:
 * {@code java -cp benchmarks.jar io.wsrouter.bench.ResultsReport router-bench/target}.
 */
public final class ResultsReport {

    /** W1 target: wsrouter / Spring, single thread. */
    static final double W1_SPRING_TARGET = 10.0;
    /** W1 target: wsrouter / naive, single thread. */
    static final double W1_NAIVE_TARGET = 2.0;
    /** W1 "flat": throughput with 1,000 extra handlers at least this share of the one with none. */
    static final double FLAT_TARGET = 0.85;
    /** W2 target: wsrouter / Spring with its cache raised. */
    static final double W2_SPRING_TARGET = 10.0;
    /** W2 target: wsrouter / naive. */
    static final double W2_NAIVE_TARGET = 2.0;
    /** W3 target: bytes per connection besides the ids. */
    static final double W3_BYTES_TARGET = 200.0;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROUTE = RouteBenchmark.class.getSimpleName();
    private static final String EMIT = EmitBenchmark.class.getSimpleName();
    private static final String BREAKDOWN = RouteBreakdownBenchmark.class.getSimpleName();

    private ResultsReport() {
    }

    /**
     * Re-renders {@code results.md} from the JSON files of an earlier run.
     *
     * @param args the directory holding {@code jmh.json} and {@code memory.json}
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "router-bench/target");
        Machine machine = Machine.describe("not recorded", Machine.loadAverage(), 0);
        Files.writeString(dir.resolve("results.md"),
                render(dir.resolve("jmh.json"), dir.resolve("paired.json"), dir.resolve("memory.json"), machine),
                StandardCharsets.UTF_8);
    }

    /** One JMH result: a benchmark method with its thread count and parameters. */
    record Score(String benchmark, int threads, Map<String, String> params, double score, double error,
                 double allocPerOp) {

        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    /** One peer's time per operation in the paired comparison. */
    record Paired(String workload, String peer, String value, double medianNs) {
    }

    /**
     * One target: the JMH ratio and the paired ratio (NaN when not measured); "at least" targets on
     * ratios, except W3, an "at most" on bytes.
     */
    record Target(String name, double threshold, double jmh, double paired) {

        String verdict() {
            boolean jmhKnown = !Double.isNaN(jmh);
            boolean pairedKnown = !Double.isNaN(paired);
            if (!jmhKnown && !pairedKnown) {
                return "not measured";
            }
            boolean jmhMet = jmhKnown && jmh >= threshold;
            boolean pairedMet = pairedKnown && paired >= threshold;
            if ((jmhMet || !jmhKnown) && (pairedMet || !pairedKnown)) {
                return "met";
            }
            if (!jmhMet && !pairedMet) {
                return "missed";
            }
            return "unclear: the two measurements disagree";
        }
    }

    /** One W3 probe. */
    record Probe(String implementation, double bytesPerConnection, double idBytesPerConnection, int connections) {
    }

    static String render(Path jmhJson, Path pairedJson, Path memoryJson, Machine machine) throws IOException {
        List<Score> scores = readScores(jmhJson);
        List<Paired> paired = Files.exists(pairedJson) ? readPaired(pairedJson) : List.of();
        List<Probe> probes = Files.exists(memoryJson) ? readProbes(memoryJson) : List.of();
        StringBuilder md = new StringBuilder();
        List<Target> targets = new ArrayList<>();
        md.append("## wsrouter benchmark results\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %s, %s. Load average (1/5/15 min) %s before, %s after; "
                        + "the suite took %d s.%n%n", machine.cores(), machine.cpu(), machine.jdk(), machine.loadBefore(),
                machine.loadAfter(), machine.seconds()));
        md.append("JMH throughput in operations per second (higher is better) with JMH's 99.9% confidence half-width; "
                + "in brackets the allocation per operation (`-prof gc`, `gc.alloc.rate.norm`). "
                + "Ratios are wsrouter / peer, from the same run.\n\n");

        renderRoute(md, scores, paired, targets);
        renderEmit(md, scores, paired, targets);
        renderPaired(md, paired);
        double w3 = renderMemory(md, probes);
        renderBreakdown(md, scores);

        md.append("### Targets\n\n");
        md.append("A target counts as met when both the JMH ratio and the paired ratio reach it.\n\n");
        md.append("| target | JMH | paired | verdict |\n|---|---:|---:|---|\n");
        for (Target t : targets) {
            String shown = t.name().startsWith("W1: flat") ? fmt2(t.jmh()) : fmt2(t.jmh()) + "x";
            String pairedShown = Double.isNaN(t.paired()) ? "–" : t.name().startsWith("W1: flat") ? fmt2(t.paired()) : fmt2(t.paired()) + "x";
            md.append("| ").append(t.name()).append(" | ").append(shown).append(" | ").append(pairedShown)
                    .append(" | ").append(t.verdict()).append(" |\n");
        }
        if (!Double.isNaN(w3)) {
            md.append(String.format(Locale.ROOT, "| W3: <= %s bytes per connection besides ids | %.1f | – | %s |%n",
                    fmt(W3_BYTES_TARGET), w3, w3 <= W3_BYTES_TARGET ? "met" : "missed"));
        }
        return md.toString();
    }

    /** @return peer ns / wsrouter ns for a paired case (a throughput ratio), NaN when absent */
    private static double pairedRatio(List<Paired> paired, String workload, String value, String peer) {
        Optional<Paired> ws = paired.stream().filter(p -> p.workload().equals(workload) && p.value().equals(value)
                && p.peer().equals("wsrouter")).findFirst();
        Optional<Paired> other = paired.stream().filter(p -> p.workload().equals(workload) && p.value().equals(value)
                && p.peer().equals(peer)).findFirst();
        return ws.isPresent() && other.isPresent() ? other.get().medianNs() / ws.get().medianNs() : Double.NaN;
    }

    private static double pairedNs(List<Paired> paired, String workload, String value, String peer) {
        return paired.stream().filter(p -> p.workload().equals(workload) && p.value().equals(value) && p.peer().equals(peer))
                .mapToDouble(Paired::medianNs).findFirst().orElse(Double.NaN);
    }

    private static void renderPaired(StringBuilder md, List<Paired> paired) {
        if (paired.isEmpty()) {
            return;
        }
        md.append("### Paired comparison: peers interleaved in one JVM (single thread)\n\n");
        md.append("Median time per operation over 30 rounds of ~20 ms bursts (after 3 s of warm-up per peer), the peers taking turns, so that "
                + "background load hits them alike. Ratios are wsrouter / peer throughput.\n\n");
        md.append("| case | wsrouter | naive port | Spring | wsrouter / naive | wsrouter / Spring |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (String extra : List.of("0", "1000")) {
            double ws = pairedNs(paired, "W1", extra, "wsrouter");
            if (!Double.isNaN(ws)) {
                md.append(String.format(Locale.ROOT, "| W1, %s | %s | %s | %s | %s | %s |%n",
                        extra.equals("0") ? "12 types" : "+" + extra + " handlers", ns(ws),
                        ns(pairedNs(paired, "W1", extra, "naive")), ns(pairedNs(paired, "W1", extra, "spring")),
                        ratioText(pairedRatio(paired, "W1", extra, "naive")), ratioText(pairedRatio(paired, "W1", extra, "spring"))));
            }
        }
        for (String connections : List.of("1", "4")) {
            double ws = pairedNs(paired, "W2", connections, "wsrouter");
            if (!Double.isNaN(ws)) {
                md.append(String.format(Locale.ROOT, "| W2, %s connection(s)/user (Spring: cache raised) | %s | %s | %s | %s | %s |%n",
                        connections, ns(ws), ns(pairedNs(paired, "W2", connections, "naive")),
                        ns(pairedNs(paired, "W2", connections, "springRaisedCache")),
                        ratioText(pairedRatio(paired, "W2", connections, "naive")),
                        ratioText(pairedRatio(paired, "W2", connections, "springRaisedCache"))));
            }
        }
        double ws0 = pairedNs(paired, "W1", "0", "wsrouter");
        double ws1000 = pairedNs(paired, "W1", "1000", "wsrouter");
        if (!Double.isNaN(ws0) && !Double.isNaN(ws1000)) {
            md.append(String.format(Locale.ROOT, "%nFlatness, paired: wsrouter %.2f, naive %s.%n",
                    ws0 / ws1000, fmt2(pairedNs(paired, "W1", "0", "naive") / pairedNs(paired, "W1", "1000", "naive"))));
        }
        md.append('\n');
    }

    private static String ns(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f ns", value);
    }

    private static String ratioText(double value) {
        return Double.isNaN(value) ? "–" : fmt2(value) + "x";
    }

    private static void renderRoute(StringBuilder md, List<Score> scores, List<Paired> paired, List<Target> targets) {
        md.append("### W1 route: one ~150-byte JSON frame dispatched to its handler among 12+ types\n\n");
        md.append("| case | wsrouter | naive port | Spring STOMP | wsrouter / naive | wsrouter / Spring |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (int threads : new int[] {1, 2}) {
            Optional<Score> ws = find(scores, ROUTE + ".wsrouter", threads, "extraHandlers", "0");
            Optional<Score> naive = find(scores, ROUTE + ".naive", threads, "extraHandlers", "0");
            Optional<Score> spring = find(scores, ROUTE + ".spring", threads, null, null);
            if (ws.isEmpty()) {
                continue;
            }
            md.append(row("12 types, " + threads + (threads == 1 ? " thread" : " threads"), ws, naive, spring));
            if (threads == 1) {
                targets.add(new Target("W1: wsrouter >= " + fmt(W1_SPRING_TARGET) + "x Spring, 1 thread", W1_SPRING_TARGET,
                        ratio(ws, spring), pairedRatio(paired, "W1", "0", "spring")));
                targets.add(new Target("W1: wsrouter >= " + fmt(W1_NAIVE_TARGET) + "x naive, 1 thread", W1_NAIVE_TARGET,
                        ratio(ws, naive), pairedRatio(paired, "W1", "0", "naive")));
            }
        }
        for (String extra : List.of("10", "100", "1000")) {
            Optional<Score> ws = find(scores, ROUTE + ".wsrouter", 1, "extraHandlers", extra);
            Optional<Score> naive = find(scores, ROUTE + ".naive", 1, "extraHandlers", extra);
            if (ws.isPresent()) {
                md.append(row("+" + extra + " custom handlers, 1 thread", ws, naive, Optional.empty()));
            }
        }
        Optional<Score> ws0 = find(scores, ROUTE + ".wsrouter", 1, "extraHandlers", "0");
        Optional<Score> ws1000 = find(scores, ROUTE + ".wsrouter", 1, "extraHandlers", "1000");
        Optional<Score> naive0 = find(scores, ROUTE + ".naive", 1, "extraHandlers", "0");
        Optional<Score> naive1000 = find(scores, ROUTE + ".naive", 1, "extraHandlers", "1000");
        if (ws0.isPresent() && ws1000.isPresent()) {
            double flat = ratio(ws1000, ws0);
            md.append(String.format(Locale.ROOT, "%nFlatness (throughput with +1,000 handlers / with none): wsrouter %.2f, naive %s.%n%n",
                    flat, naive0.isPresent() && naive1000.isPresent() ? fmt2(ratio(naive1000, naive0)) : "n/a"));
            double pairedFlat = pairedNs(paired, "W1", "0", "wsrouter") / pairedNs(paired, "W1", "1000", "wsrouter");
            targets.add(new Target("W1: flat from 12 to 1,000+ handlers (>= " + fmt2(FLAT_TARGET) + " of the 12-type throughput)",
                    FLAT_TARGET, flat, pairedFlat));
        } else {
            md.append('\n');
        }
    }

    private static void renderEmit(StringBuilder md, List<Score> scores, List<Paired> paired, List<Target> targets) {
        List<String> lines = new ArrayList<>();
        for (String connections : List.of("1", "4")) {
            Optional<Score> ws = find(scores, EMIT + ".wsrouter", 1, "connectionsPerUser", connections);
            Optional<Score> naive = find(scores, EMIT + ".naive", 1, "connectionsPerUser", connections);
            Optional<Score> raised = find(scores, EMIT + ".springRaisedCache", 1, "connectionsPerUser", connections);
            Optional<Score> dflt = find(scores, EMIT + ".springDefaultCache", 1, "connectionsPerUser", connections);
            if (ws.isEmpty()) {
                continue;
            }
            lines.add("| " + connections + " | " + cell(ws) + " | " + cell(naive) + " | " + cell(raised) + " | " + cell(dflt)
                    + " | " + ratioCell(ws, naive) + " | " + ratioCell(ws, raised) + " | " + ratioCell(ws, dflt) + " |\n");
            targets.add(new Target("W2: wsrouter >= " + fmt(W2_SPRING_TARGET) + "x Spring (cache raised), " + connections
                    + " connection(s)/user", W2_SPRING_TARGET, ratio(ws, raised),
                    pairedRatio(paired, "W2", connections, "springRaisedCache")));
            targets.add(new Target("W2: wsrouter >= " + fmt(W2_NAIVE_TARGET) + "x naive, " + connections + " connection(s)/user",
                    W2_NAIVE_TARGET, ratio(ws, naive), pairedRatio(paired, "W2", connections, "naive")));
        }
        if (lines.isEmpty()) {
            return;
        }
        md.append("### W2 emitToUser: one event to a user drawn uniformly among 100,000\n\n");
        md.append("| connections per user | wsrouter | naive port | Spring, cache raised | Spring, default cache "
                + "| wsrouter / naive | wsrouter / Spring raised | wsrouter / Spring default |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        lines.forEach(md::append);
        md.append('\n');
    }

    /** @return wsrouter's bytes per connection, NaN when not probed */
    private static double renderMemory(StringBuilder md, List<Probe> probes) {
        if (probes.isEmpty()) {
            return Double.NaN;
        }
        Optional<Probe> ws = probes.stream().filter(p -> p.implementation().equals("wsrouter")).findFirst();
        md.append(String.format(Locale.ROOT, "### W3 memory: retained heap per connection (%,d connections, 4 per user), besides the id strings%n%n",
                probes.get(0).connections()));
        md.append("| implementation | bytes per connection | wsrouter / peer |\n|---|---:|---:|\n");
        for (Probe p : probes) {
            String ratio = ws.map(w -> fmt2(w.bytesPerConnection() / p.bytesPerConnection())).orElse("n/a");
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %s |%n", label(p.implementation()), p.bytesPerConnection(), ratio));
        }
        md.append(String.format(Locale.ROOT, "%nThe id strings themselves (a 36-char UUID per connection, a user id and "
                + "principal per 4 connections) take %.1f bytes per connection, not counted above.%n%n",
                probes.get(0).idBytesPerConnection()));
        return ws.map(Probe::bytesPerConnection).orElse(Double.NaN);
    }

    private static void renderBreakdown(StringBuilder md, List<Score> scores) {
        List<String> steps = List.of("parseReadTree", "parseMessage", "parseStreaming", "dispatchParsed");
        List<String> labels = List.of("`ObjectMapper.readTree` alone (the naive port's parse)",
                "`Message.parse` alone (wsrouter's parse with limits)",
                "Jackson streaming read of the four fields (a floor)",
                "wsrouter `routeMessage` of an already parsed `Message`");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Optional<Score> s = find(scores, BREAKDOWN + "." + steps.get(i), 1, null, null);
            if (s.isPresent()) {
                rows.append("| ").append(labels.get(i)).append(" | ").append(cell(s)).append(" |\n");
            }
        }
        if (rows.length() > 0) {
            md.append("### W1 breakdown (diagnostics, single thread)\n\n| step | throughput |\n|---|---:|\n")
                    .append(rows).append('\n');
        }
    }

    private static String label(String implementation) {
        switch (implementation) {
            case "wsrouter":
                return "wsrouter `ConnectionPool`";
            case "naive":
                return "naive `Map<String, Set<String>>`";
            case "spring-registry":
                return "Spring `DefaultSimpUserRegistry` (sessions + 1 subscription each)";
            case "spring-registry-broker":
                return "Spring registry + simple broker (sessions, subscriptions, destination cache)";
            default:
                return implementation;
        }
    }

    private static String row(String label, Optional<Score> ws, Optional<Score> naive, Optional<Score> spring) {
        return "| " + label + " | " + cell(ws) + " | " + cell(naive) + " | " + cell(spring) + " | "
                + ratioCell(ws, naive) + " | " + ratioCell(ws, spring) + " |\n";
    }

    private static String cell(Optional<Score> score) {
        return score.map(s -> {
            String error = s.score() == 0 || Double.isNaN(s.error()) ? ""
                    : String.format(Locale.ROOT, " ± %.0f%%", 100 * s.error() / s.score());
            String alloc = Double.isNaN(s.allocPerOp()) ? "" : String.format(Locale.ROOT, " (%,.0f B)", s.allocPerOp());
            return String.format(Locale.ROOT, "%,.0f%s%s", s.score(), error, alloc);
        }).orElse("–");
    }

    private static String ratioCell(Optional<Score> a, Optional<Score> b) {
        return a.isPresent() && b.isPresent() ? fmt2(ratio(a, b)) + "x" : "–";
    }

    private static double ratio(Optional<Score> a, Optional<Score> b) {
        return a.isPresent() && b.isPresent() && b.get().score() > 0 ? a.get().score() / b.get().score() : Double.NaN;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String fmt2(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static Optional<Score> find(List<Score> scores, String benchmark, int threads, String param, String value) {
        return scores.stream()
                .filter(s -> s.benchmark().equals(benchmark) && s.threads() == threads)
                .filter(s -> param == null || value.equals(s.param(param)))
                .findFirst();
    }

    static List<Score> readScores(Path jmhJson) throws IOException {
        List<Score> scores = new ArrayList<>();
        for (JsonNode run : MAPPER.readTree(jmhJson.toFile())) {
            String full = run.path("benchmark").asText();
            String[] parts = full.split("\\.");
            String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : full;
            Map<String, String> params = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : run.path("params").properties()) {
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode primary = run.path("primaryMetric");
            double alloc = Double.NaN;
            for (Map.Entry<String, JsonNode> e : run.path("secondaryMetrics").properties()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = e.getValue().path("score").asDouble(Double.NaN);
                }
            }
            scores.add(new Score(name, run.path("threads").asInt(1), params, primary.path("score").asDouble(),
                    primary.path("scoreError").asDouble(Double.NaN), alloc));
        }
        return scores;
    }

    static List<Paired> readPaired(Path pairedJson) throws IOException {
        List<Paired> paired = new ArrayList<>();
        for (JsonNode p : MAPPER.readTree(pairedJson.toFile())) {
            paired.add(new Paired(p.path("workload").asText(), p.path("peer").asText(), p.path("value").asText(),
                    p.path("medianNs").asDouble()));
        }
        return paired;
    }

    static List<Probe> readProbes(Path memoryJson) throws IOException {
        List<Probe> probes = new ArrayList<>();
        for (JsonNode p : MAPPER.readTree(memoryJson.toFile())) {
            probes.add(new Probe(p.path("implementation").asText(), p.path("bytesPerConnection").asDouble(),
                    p.path("idBytesPerConnection").asDouble(), p.path("connections").asInt()));
        }
        return probes;
    }
}
