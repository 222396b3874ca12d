package io.wsrouter.quality;

import com.google.re2j.Matcher;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pattern data of the heuristic gate (quality-rules.md section 2 and the regexes of section 4),
 * compiled once. The legacy regexes are Python's, and are written here as they were; Java's
 * {@code UNICODE_CHARACTER_CLASS} gave them Python's Unicode {@code \w}, {@code \b}, {@code \d} and
 * {@code \s}, and {@code UNIX_LINES} made {@code .} stop only at {@code \n}, as Python's does.
 *
 * <p><b>Linear time by construction.</b> Every pattern here is a {@link LinearPattern}: it runs on
 * RE2/J, an automaton without backtracking, so one search costs time linear in the text whatever the
 * text (the legacy {@code \b\d+\.?\d*\s*(ms|...)\b} took ~90 s on 32,000 digits under
 * {@code java.util.regex}; here it takes what any 32,000 characters take). RE2 cannot express
 * lookaround; the one legacy pattern that used it (VAGUE's {@code (?!\s+(by|than))}) is matched
 * without it and the lookahead is checked by hand ({@link #countVague}). Counting runs one search
 * after another; each search stops where its match is decided, and {@link #countStackTraces} keeps
 * the frame alternative away from text past the last {@code ')'}, where an unclosed frame would have
 * made every search rescan the rest of the text. The sentence and word splits are hand scanners
 * ({@link TextFacts}). No {@code java.util.regex} pattern runs on client text (it only decides, on
 * fixed characters, how {@link LinearPattern} translates each atom).
 */
final class GatePatterns {

    private GatePatterns() {
    }

    // ---------------------------------------------------------------- section 2

    static final List<String> GENERIC_PHRASES = List.of(
            "it is important to note that", "generally speaking", "in general", "as we know",
            "it should be noted", "one could argue", "it goes without saying", "needless to say",
            "at the end of the day", "when all is said and done", "for all intents and purposes",
            "in today's world", "in this day and age", "since the dawn of time", "throughout history",
            "in conclusion", "to summarize", "all things considered", "it is worth mentioning");
    static final LinearPattern GENERIC = LinearPattern.ci(
            GENERIC_PHRASES.stream().map(Pattern::quote).collect(Collectors.joining("|")));

    /**
     * The legacy VAGUE pattern without its lookahead: the alternative {@code more\s+efficient} (group
     * 4) is followed in the legacy pattern by {@code (?!\s+(by|than))}, checked by {@link #countVague}.
     */
    static final LinearPattern VAGUE = LinearPattern.ci(String.join("|",
            "just\\s+optimize",
            "optimize\\s+(things|stuff|it|everything|something)",
            "improve\\s+(things|stuff|it|everything|something)",
            "enhance\\s+(things|stuff|it|everything|something)",
            "make\\s+(?:it\\s+)?better",
            "(more\\s+efficient)",
            "consider\\s+optimizing",
            "think about\\s+improving",
            "look into\\s+enhancing",
            "you might want to",
            "you could try",
            "perhaps you should"));
    /** The group of VAGUE's {@code more\s+efficient}. */
    static final int VAGUE_MORE_EFFICIENT = 4;

    /** The 9 circular patterns {@code A.*B} (only whether one matches counts). */
    static final LinearPattern CIRCULAR = LinearPattern.ci("to improve.*you should improve|optimize.*by optimizing"
            + "|better.*through better|enhance.*by enhancing|for better.*use better|improve.*to improve"
            + "|increase.*by increasing|reduce.*by reducing|fix.*by fixing");

    /** Lowercased, as intended (legacy bug 1: the capitalised terms never matched). */
    static final List<String> DOMAIN_TERMS = List.of(
            "latency", "throughput", "batch size", "token", "inference", "quantization", "pruning",
            "distillation", "cache", "memory", "gpu", "cpu", "tpu", "flops", "bandwidth", "utilization",
            "p50", "p95", "p99", "qps", "rps", "ms", "microseconds", "cost per token", "cost per request",
            "tco", "roi", "model size", "parameter count", "attention heads", "layers", "beam search",
            "temperature", "top-p", "top-k", "context window", "kv cache", "flash attention",
            "tensor parallel", "pipeline parallel");

    /**
     * The 12 error-specific patterns, each applied case-insensitively, as written in the legacy gate;
     * file_paths is {@link #FILE_PATHS} and stack_trace_indicators is counted by {@link #countStackTraces}
     * (both added after these, as the legacy gate did).
     */
    static final Map<String, LinearPattern> ERROR_PATTERNS = Map.ofEntries(
            Map.entry("error_codes", LinearPattern.ci("\\b[A-Z_]+_[A-Z0-9_]+\\b|\\b[A-Z]{3,}_\\d+\\b")),
            Map.entry("timestamps", LinearPattern.ci("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?")),
            Map.entry("service_identifiers",
                    LinearPattern.ci("\\b\\w+-\\w+-v?\\d+\\.\\d+\\.\\d+\\b|\\b\\w+://[\\w\\-.:/@]+\\b")),
            Map.entry("database_connections",
                    LinearPattern.ci("\\b(max_connections|connection_timeout|pool_size)\\s*[=:]\\s*\\d+")),
            Map.entry("system_commands",
                    LinearPattern.ci("(SELECT|UPDATE|ALTER|systemctl|pg_dump|pip install)\\s+[\\w\\s\\-=.()>*]+")),
            Map.entry("log_levels", LinearPattern.ci("\\b(ERROR|WARN|INFO|DEBUG|FATAL|TRACE):\\s")),
            Map.entry("process_ids", LinearPattern.ci("\\bpid[:\\s=]*\\d+\\b|\\bprocess\\s+\\d+\\b")),
            Map.entry("port_numbers", LinearPattern.ci(":\\d{2,5}(?:/|\\b)")),
            Map.entry("memory_addresses", LinearPattern.ci("0x[0-9a-fA-F]+")),
            Map.entry("configuration_keys",
                    LinearPattern.ci("\\b\\w+_\\w+\\s*[=:]\\s*(?:true|false|\\d+|\"[^\"]*\")")));

    /** The error pattern file_paths, as written. */
    static final LinearPattern FILE_PATHS =
            LinearPattern.ci("/[\\w\\-./]+\\.\\w+|[A-Z]:\\\\[\\w\\\\\\-.]+\\.\\w+");
    /** The error pattern stack_trace_indicators, as written. */
    static final LinearPattern STACK_TRACE =
            LinearPattern.ci("(at\\s+[\\w.]+\\([^)]+\\)|Traceback|Exception in|Stack trace)");
    /** Its alternatives that hold no ')'. */
    static final LinearPattern STACK_TRACE_WORDS = LinearPattern.ci("(Traceback|Exception in|Stack trace)");

    /** Lowercased, as intended (legacy bug 1: TCP, UDP, HTTP, SSL and TLS never matched). */
    static final List<String> ERROR_DOMAIN_TERMS = List.of(
            "timeout", "connection", "database", "query", "transaction", "deadlock", "rollback", "constraint",
            "index", "table", "exception", "error", "failure", "crash", "abort", "memory leak", "segfault",
            "null pointer", "buffer overflow", "authentication", "authorization", "permission",
            "access denied", "network", "socket", "tcp", "udp", "http", "ssl", "tls", "thread", "process",
            "lock", "mutex", "semaphore", "heap", "stack", "garbage collection", "out of memory");

    // ---------------------------------------------------------------- section 3

    static final LinearPattern NUMERIC = LinearPattern.cs("\\b\\d+(?:\\.\\d+)?(?:%|ms|GB|MB|KB|s|x|M|K)?\\b");

    // ---------------------------------------------------------------- section 4.1 specificity

    static final LinearPattern UNIT_VALUES =
            LinearPattern.ci("\\b\\d+\\.?\\d*\\s*(ms|%|x|GB|MB|KB|tokens?|requests?|QPS|RPS|FLOPS)\\b");
    static final LinearPattern PARAMETER_SETTINGS = LinearPattern.ci(
            "(batch_size|learning_rate|temperature|top_[pk]|max_tokens|num_beams|context_window)\\s*[=:]\\s*\\d+");
    static final List<String> OPTIMIZATION_TECHNIQUES =
            List.of("quantization", "pruning", "distillation", "caching", "batching", "parallelization");

    // ---------------------------------------------------------------- section 4.2 actionability

    static final List<String> ACTION_VERBS = List.of(
            "set", "configure", "install", "run", "execute", "implement", "add", "remove", "update", "modify",
            "change", "apply", "enable", "disable", "increase", "decrease", "adjust", "edit", "download",
            "upload", "create", "delete", "copy", "move", "implementing", "enabling", "increasing", "adjusting",
            "reducing", "editing", "downloading", "uploading", "creating", "deleting", "copying");
    /** Applied to the lowercased text, so effectively case-insensitive. */
    static final LinearPattern STEP_MARKERS = LinearPattern.cs("(step \\d+|first|second|third|then|next|finally)");
    static final LinearPattern INLINE_CODE = LinearPattern.cs("`[^`]+`");
    static final LinearPattern SHELL_VARIABLE = LinearPattern.cs("\\$\\s*\\w+");
    static final List<String> COMMAND_MARKERS = List.of("```", "pip install", "npm install", "docker run");
    /** The four path kinds of actionability; only whether each matches counts. */
    static final List<LinearPattern> PATH_PATTERNS = List.of(
            LinearPattern.cs("/[\\w\\-./]+\\.\\w+"),
            LinearPattern.cs("[A-Z]:\\\\[\\w\\\\\\-.]+\\.\\w+"),
            LinearPattern.cs("https?://[\\w\\-./]+"),
            LinearPattern.cs("[\\w\\-./]+\\.(?:yaml|yml|py|json|xml|conf|cfg|ini)\\b"));
    static final List<String> HEDGES = List.of("might", "could", "perhaps", "maybe", "possibly", "consider", "think about");
    static final List<String> ERROR_ACTIONS =
            List.of("killed", "increased", "reduced", "enabled", "monitor", "implement", "optimize", "schedule");
    /** Applied to the lowercased text. */
    static final LinearPattern ERROR_RESOLUTION =
            LinearPattern.cs("(immediate actions|prevention|resolution|rollback|monitoring)");

    // ---------------------------------------------------------------- section 4.3 quantification

    static final List<LinearPattern> QUANTITIES = List.of(
            LinearPattern.ci("\\b\\d+\\.?\\d*\\s*%"),
            LinearPattern.ci("\\b\\d+\\.?\\d*\\s*(ms|microseconds|seconds?|minutes?|hours?)\\b"),
            LinearPattern.ci("\\b\\d+\\.?\\d*\\s*(GB|MB|KB|bytes?)\\b"),
            LinearPattern.ci("\\b\\d+\\.?\\d*\\s*(tokens?|requests?|queries|items?|elements?)\\b"),
            LinearPattern.ci("\\b\\d+\\.?\\d*\\s*(QPS|RPS|/s|per second)\\b"),
            LinearPattern.ci("\\b\\d+\\.?\\d*x\\b"),
            LinearPattern.ci("(increase|decrease|improve|reduce) by \\d+\\.?\\d*"));
    /** {@code (from|before).*\d+.*to.*\d+} (only whether it matches counts). */
    static final LinearPattern BEFORE_AFTER = LinearPattern.ci("(from|before).*\\d+.*to.*\\d+");
    static final LinearPattern NAMED_FIGURES =
            LinearPattern.ci("(latency|throughput|accuracy|precision|recall|f1).{0,20}\\d+");
    static final LinearPattern OPERATIONAL_SETTINGS =
            LinearPattern.ci("(connections?|timeout|pool_size|threshold)\\s*[=:]\\s*\\d+");
    static final LinearPattern TIMES_OF_DAY =
            LinearPattern.ci("\\b\\d+[:-]\\d+(?:[:-]\\d+)?\\s*(AM|PM|minutes?|seconds?)");

    // ---------------------------------------------------------------- section 4.4 clarity

    static final LinearPattern ACRONYM = LinearPattern.cs("\\b[A-Z]{3,}\\b");
    static final List<String> STRUCTURE_WORDS = List.of("first", "second", "finally", "in summary");

    // ---------------------------------------------------------------- section 4.6 relevance

    static final Map<String, List<String>> RELATED_WORDS = Map.ofEntries(
            Map.entry("gpu", List.of("graphics", "card", "cards", "memory")),
            Map.entry("gpus", List.of("graphics", "card", "cards", "memory")),
            Map.entry("graphics", List.of("gpu", "gpus")),
            Map.entry("cards", List.of("gpu", "gpus")),
            Map.entry("memory", List.of("gpu", "consumption", "usage")),
            Map.entry("usage", List.of("consumption", "memory")),
            Map.entry("consumption", List.of("usage", "memory")),
            Map.entry("training", List.of("convergence", "precision", "mixed")),
            Map.entry("distributed", List.of("multiple", "parallel")),
            Map.entry("neural", List.of("network")),
            Map.entry("speed", List.of("faster", "fast")),
            Map.entry("faster", List.of("speed", "fast")),
            Map.entry("reduce", List.of("optimize", "minimize", "improve")),
            Map.entry("help", List.of("optimize", "improve", "reduce")),
            Map.entry("optimize", List.of("reduce", "improve", "help", "enabling")),
            Map.entry("enabling", List.of("optimize", "improve")));

    // ---------------------------------------------------------------- section 4.7 completeness

    static final Map<ContentType, List<String>> REQUIRED_WORDS = Map.of(
            ContentType.OPTIMIZATION, List.of("improve", "reduce", "increase", "optimize", "change"),
            ContentType.DATA_ANALYSIS, List.of("data", "pattern", "insight", "trend", "conclusion"),
            ContentType.ACTION_PLAN, List.of("step", "requirement", "timeline", "outcome", "verification"),
            ContentType.REPORT, List.of("summary", "finding", "recommendation", "conclusion", "metric"));

    // ---------------------------------------------------------------- section 4.9 hallucination

    static final LinearPattern BIG_NUMBER = LinearPattern.cs("\\b\\d{4,}\\.?\\d*\\b");
    static final List<LinearPattern> CLAIMS = List.of(
            LinearPattern.ci("studies show"), LinearPattern.ci("research indicates"),
            LinearPattern.ci("data proves"), LinearPattern.ci("always"), LinearPattern.ci("never"),
            LinearPattern.ci("guaranteed"), LinearPattern.ci("definitely"));
    /** Case-insensitive here; the legacy regex was case-sensitive ("According to" was no evidence). */
    static final LinearPattern EVIDENCE = LinearPattern.ci("\\[\\d+\\]|\\(\\d{4}\\)|according to|based on");
    static final LinearPattern IMPOSSIBLE_CLAIMS = LinearPattern.ci(
            "100% improvement|zero latency|infinite throughput|no cost|perfect accuracy");

    // ---------------------------------------------------------------- helpers

    /** @return the number of terms that occur in the text (plain substring test) */
    static int countContained(List<String> terms, String text) {
        int n = 0;
        for (String term : terms) {
            if (text.contains(term)) {
                n++;
            }
        }
        return n;
    }

    /**
     * @return the count of the legacy VAGUE pattern. A {@code more\s+efficient} followed by
     *         {@code \s+(by|than)} is no match; no other alternative can match where it starts (none
     *         begins with "mo"), so the legacy search went on at the next character, as this does. The
     *         check reads the whitespace run once, so the whole count stays linear.
     */
    static int countVague(ScanText text) {
        Matcher m = VAGUE.matcher(text);
        byte[] b = text.caseInsensitive();
        int n = 0;
        int from = 0;
        while (from <= b.length && m.find(from)) {
            if (m.start(VAGUE_MORE_EFFICIENT) >= 0 && followedByByOrThan(b, m.end())) {
                from = m.start() + 1;
            } else {
                n++;
                from = m.end() > m.start() ? m.end() : m.end() + 1;
            }
        }
        return n;
    }

    /** @return whether the legacy VAGUE pattern matches somewhere */
    static boolean findVague(ScanText text) {
        Matcher m = VAGUE.matcher(text);
        byte[] b = text.caseInsensitive();
        int from = 0;
        while (from <= b.length && m.find(from)) {
            if (m.start(VAGUE_MORE_EFFICIENT) < 0 || !followedByByOrThan(b, m.end())) {
                return true;
            }
            from = m.start() + 1;
        }
        return false;
    }

    /** {@code \s+(by|than)} at {@code at} in the case-insensitive projection (white space is ' ', '\n' or '\t'). */
    private static boolean followedByByOrThan(byte[] b, int at) {
        int i = at;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == ScanText.OTHER_SPACE)) {
            i++;
        }
        return i > at && (startsWith(b, i, "by") || startsWith(b, i, "than"));
    }

    private static boolean startsWith(byte[] b, int at, String ascii) {
        if (at + ascii.length() > b.length) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (b[at + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the count of the error pattern stack_trace_indicators. Up to the last ')' the pattern is
     *         counted as written: there every frame {@code at\s+[\w.]+\(} is closed by the next ')', so
     *         no search scans past the match it returns. Past the last ')' only the word alternatives
     *         can match (a frame needs a ')'), and an unclosed frame there would make every search scan
     *         to the end of the text, so only the words are counted. No match spans the last ')': the
     *         words hold none, and a frame ends at the first ')' after its '('.
     */
    static int countStackTraces(ScanText text) {
        byte[] b = text.caseInsensitive();
        int last = b.length - 1;
        while (last >= 0 && b[last] != ')') {
            last--;
        }
        int count = 0;
        if (last >= 0) {
            Matcher m = STACK_TRACE.re2().matcher(Arrays.copyOf(b, last + 1));
            while (m.find()) {
                count++;
            }
        }
        Matcher words = STACK_TRACE_WORDS.matcher(text);
        int from = last + 1;
        while (from < b.length && words.find(from)) {
            count++;
            from = words.end();
        }
        return count;
    }
}
