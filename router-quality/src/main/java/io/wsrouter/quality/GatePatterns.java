package io.wsrouter.quality;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pattern data of the heuristic gate (quality-rules.md section 2 and the regexes of section 4),
 * compiled once. The legacy regexes are Python's: {@code UNICODE_CHARACTER_CLASS} gives Java
 * Python's Unicode {@code \w}, {@code \b}, {@code \d} and {@code \s}, and {@code UNIX_LINES} makes
 * {@code .} stop only at {@code \n}, as Python's does.
 */
final class GatePatterns {

    private GatePatterns() {
    }

    /** Case-sensitive. */
    static final int CS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    /** Case-insensitive (Unicode-aware, as Python's re.IGNORECASE on str). */
    static final int CI = CS | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    static final Pattern WHITESPACE = Pattern.compile("\\s+", CS);
    static final Pattern SENTENCE_END = Pattern.compile("[.!?]+", CS);

    // ---------------------------------------------------------------- section 2

    static final List<String> GENERIC_PHRASES = List.of(
            "it is important to note that", "generally speaking", "in general", "as we know",
            "it should be noted", "one could argue", "it goes without saying", "needless to say",
            "at the end of the day", "when all is said and done", "for all intents and purposes",
            "in today's world", "in this day and age", "since the dawn of time", "throughout history",
            "in conclusion", "to summarize", "all things considered", "it is worth mentioning");
    static final Pattern GENERIC = Pattern.compile(
            GENERIC_PHRASES.stream().map(Pattern::quote).collect(Collectors.joining("|")), CI);

    static final Pattern VAGUE = Pattern.compile(String.join("|",
            "just\\s+optimize",
            "optimize\\s+(things|stuff|it|everything|something)",
            "improve\\s+(things|stuff|it|everything|something)",
            "enhance\\s+(things|stuff|it|everything|something)",
            "make\\s+(?:it\\s+)?better",
            "more\\s+efficient(?!\\s+(by|than))",
            "consider\\s+optimizing",
            "think about\\s+improving",
            "look into\\s+enhancing",
            "you might want to",
            "you could try",
            "perhaps you should"), CI);

    /**
     * The 9 circular patterns {@code A.*B}, as (A, B) pairs. They are evaluated with
     * {@link #inOrderOnOneLine}, which decides the same thing as the regex in linear time (the
     * backtracking regex is quadratic in the line length).
     */
    static final List<List<Pattern>> CIRCULAR = List.of(
            literals("to improve", "you should improve"),
            literals("optimize", "by optimizing"),
            literals("better", "through better"),
            literals("enhance", "by enhancing"),
            literals("for better", "use better"),
            literals("improve", "to improve"),
            literals("increase", "by increasing"),
            literals("reduce", "by reducing"),
            literals("fix", "by fixing"));

    /** Lowercased, as intended (legacy bug 1: the capitalised terms never matched). */
    static final List<String> DOMAIN_TERMS = List.of(
            "latency", "throughput", "batch size", "token", "inference", "quantization", "pruning",
            "distillation", "cache", "memory", "gpu", "cpu", "tpu", "flops", "bandwidth", "utilization",
            "p50", "p95", "p99", "qps", "rps", "ms", "microseconds", "cost per token", "cost per request",
            "tco", "roi", "model size", "parameter count", "attention heads", "layers", "beam search",
            "temperature", "top-p", "top-k", "context window", "kv cache", "flash attention",
            "tensor parallel", "pipeline parallel");

    /** The 12 error-specific patterns, each applied case-insensitively. */
    static final Map<String, Pattern> ERROR_PATTERNS = Map.ofEntries(
            // Legacy: \b[A-Z_]+_[A-Z0-9_]+\b|\b[A-Z]{3,}_\d+\b. The lookahead finds the '_' once and the
            // possessive run ends where the legacy greedy run ends (a shorter run cannot end at \b: both
            // neighbours would be word characters), so the matches are the same without the quadratic
            // backtracking on long words with many underscores.
            Map.entry("error_codes",
                    Pattern.compile("\\b(?=[A-Z_]+_[A-Z0-9_])[A-Z0-9_]++\\b|\\b[A-Z]{3,}_\\d+\\b", CI)),
            Map.entry("timestamps", Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?", CI)),
            Map.entry("service_identifiers",
                    Pattern.compile("\\b\\w+-\\w+-v?\\d+\\.\\d+\\.\\d+\\b|\\b\\w+://[\\w\\-.:/@]+\\b", CI)),
            Map.entry("database_connections",
                    Pattern.compile("\\b(max_connections|connection_timeout|pool_size)\\s*[=:]\\s*\\d+", CI)),
            Map.entry("system_commands",
                    Pattern.compile("(SELECT|UPDATE|ALTER|systemctl|pg_dump|pip install)\\s+[\\w\\s\\-=.()>*]+", CI)),
            Map.entry("log_levels", Pattern.compile("\\b(ERROR|WARN|INFO|DEBUG|FATAL|TRACE):\\s", CI)),
            // stack_trace_indicators is counted by countStackTraces.
            Map.entry("process_ids", Pattern.compile("\\bpid[:\\s=]*\\d+\\b|\\bprocess\\s+\\d+\\b", CI)),
            Map.entry("port_numbers", Pattern.compile(":\\d{2,5}(?:/|\\b)", CI)),
            Map.entry("memory_addresses", Pattern.compile("0x[0-9a-fA-F]+", CI)),
            // file_paths (/[\w\-./]+\.\w+|[A-Z]:\\[\w\\\-.]+\.\w+) is counted by countFilePaths.
            // Legacy: \b\w+_\w+\s*[=:]... The key must end at the end of its word (only \s or [=:] may
            // follow), so the lookahead plus a possessive word gives the same matches in linear time.
            Map.entry("configuration_keys",
                    Pattern.compile("\\b(?=\\w+_\\w)\\w++\\s*[=:]\\s*(?:true|false|\\d+|\"[^\"]*\")", CI)));

    /** The error pattern stack_trace_indicators, as written. */
    static final Pattern STACK_TRACE =
            Pattern.compile("(at\\s+[\\w.]+\\([^)]+\\)|Traceback|Exception in|Stack trace)", CI);
    /** Its alternatives that hold no ')'. */
    static final Pattern STACK_TRACE_WORDS = Pattern.compile("(Traceback|Exception in|Stack trace)", CI);

    /** The second alternative of the error pattern file_paths (the first is {@link #findSlashPath}). */
    static final Pattern WINDOWS_PATH_CI = Pattern.compile("[A-Z]:\\\\[\\w\\\\\\-.]+\\.\\w+", CI);

    /** Lowercased, as intended (legacy bug 1: TCP, UDP, HTTP, SSL and TLS never matched). */
    static final List<String> ERROR_DOMAIN_TERMS = List.of(
            "timeout", "connection", "database", "query", "transaction", "deadlock", "rollback", "constraint",
            "index", "table", "exception", "error", "failure", "crash", "abort", "memory leak", "segfault",
            "null pointer", "buffer overflow", "authentication", "authorization", "permission",
            "access denied", "network", "socket", "tcp", "udp", "http", "ssl", "tls", "thread", "process",
            "lock", "mutex", "semaphore", "heap", "stack", "garbage collection", "out of memory");

    // ---------------------------------------------------------------- section 3

    static final Pattern NUMERIC = Pattern.compile("\\b\\d+(?:\\.\\d+)?(?:%|ms|GB|MB|KB|s|x|M|K)?\\b", CS);

    // ---------------------------------------------------------------- section 4.1 specificity

    static final Pattern UNIT_VALUES =
            Pattern.compile("\\b\\d+\\.?\\d*\\s*(ms|%|x|GB|MB|KB|tokens?|requests?|QPS|RPS|FLOPS)\\b", CI);
    static final Pattern PARAMETER_SETTINGS = Pattern.compile(
            "(batch_size|learning_rate|temperature|top_[pk]|max_tokens|num_beams|context_window)\\s*[=:]\\s*\\d+", CI);
    static final List<String> OPTIMIZATION_TECHNIQUES =
            List.of("quantization", "pruning", "distillation", "caching", "batching", "parallelization");

    // ---------------------------------------------------------------- section 4.2 actionability

    static final List<String> ACTION_VERBS = List.of(
            "set", "configure", "install", "run", "execute", "implement", "add", "remove", "update", "modify",
            "change", "apply", "enable", "disable", "increase", "decrease", "adjust", "edit", "download",
            "upload", "create", "delete", "copy", "move", "implementing", "enabling", "increasing", "adjusting",
            "reducing", "editing", "downloading", "uploading", "creating", "deleting", "copying");
    /** Applied to the lowercased text, so effectively case-insensitive. */
    static final Pattern STEP_MARKERS = Pattern.compile("(step \\d+|first|second|third|then|next|finally)", CS);
    static final Pattern INLINE_CODE = Pattern.compile("`[^`]+`", CS);
    static final Pattern SHELL_VARIABLE = Pattern.compile("\\$\\s*\\w+", CS);
    static final List<String> COMMAND_MARKERS = List.of("```", "pip install", "npm install", "docker run");
    /**
     * The path kinds of actionability after the first ({@code /[\w\-./]+\.\w+}, decided by
     * {@link #findSlashPath}); only whether each matches counts. The last is the legacy
     * {@code [\w\-./]+\.(?:yaml|...)\b} with its unanchored run replaced by a one-character lookbehind:
     * the same texts match, without trying every start of a long run.
     */
    static final List<Pattern> OTHER_PATH_PATTERNS = List.of(
            Pattern.compile("[A-Z]:\\\\[\\w\\\\\\-.]+\\.\\w+", CS),
            Pattern.compile("https?://[\\w\\-./]+", CS),
            Pattern.compile("(?<=[\\w\\-./])\\.(?:yaml|yml|py|json|xml|conf|cfg|ini)\\b", CS));
    static final List<String> HEDGES = List.of("might", "could", "perhaps", "maybe", "possibly", "consider", "think about");
    static final List<String> ERROR_ACTIONS =
            List.of("killed", "increased", "reduced", "enabled", "monitor", "implement", "optimize", "schedule");
    /** Applied to the lowercased text. */
    static final Pattern ERROR_RESOLUTION =
            Pattern.compile("(immediate actions|prevention|resolution|rollback|monitoring)", CS);

    // ---------------------------------------------------------------- section 4.3 quantification

    static final List<Pattern> QUANTITIES = List.of(
            Pattern.compile("\\b\\d+\\.?\\d*\\s*%", CI),
            Pattern.compile("\\b\\d+\\.?\\d*\\s*(ms|microseconds|seconds?|minutes?|hours?)\\b", CI),
            Pattern.compile("\\b\\d+\\.?\\d*\\s*(GB|MB|KB|bytes?)\\b", CI),
            Pattern.compile("\\b\\d+\\.?\\d*\\s*(tokens?|requests?|queries|items?|elements?)\\b", CI),
            Pattern.compile("\\b\\d+\\.?\\d*\\s*(QPS|RPS|/s|per second)\\b", CI),
            Pattern.compile("\\b\\d+\\.?\\d*x\\b", CI),
            Pattern.compile("(increase|decrease|improve|reduce) by \\d+\\.?\\d*", CI));
    /**
     * {@code (from|before).*\d+.*to.*\d+}, as in-order steps on one line. The regex backtracks
     * cubically on a long line without "to"; {@link #inOrderOnOneLine} decides the same in linear time.
     */
    static final List<List<Pattern>> BEFORE_AFTER = List.of(
            List.of(Pattern.compile("from", CI), Pattern.compile("\\d", CS), Pattern.compile("to", CI),
                    Pattern.compile("\\d", CS)),
            List.of(Pattern.compile("before", CI), Pattern.compile("\\d", CS), Pattern.compile("to", CI),
                    Pattern.compile("\\d", CS)));
    static final Pattern NAMED_FIGURES =
            Pattern.compile("(latency|throughput|accuracy|precision|recall|f1).{0,20}\\d+", CI);
    static final Pattern OPERATIONAL_SETTINGS =
            Pattern.compile("(connections?|timeout|pool_size|threshold)\\s*[=:]\\s*\\d+", CI);
    static final Pattern TIMES_OF_DAY =
            Pattern.compile("\\b\\d+[:-]\\d+(?:[:-]\\d+)?\\s*(AM|PM|minutes?|seconds?)", CI);

    // ---------------------------------------------------------------- section 4.4 clarity

    static final Pattern ACRONYM = Pattern.compile("\\b[A-Z]{3,}\\b", CS);
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

    static final Pattern BIG_NUMBER = Pattern.compile("\\b\\d{4,}\\.?\\d*\\b", CS);
    static final List<Pattern> CLAIMS = List.of(
            Pattern.compile("studies show", CI), Pattern.compile("research indicates", CI),
            Pattern.compile("data proves", CI), Pattern.compile("always", CI), Pattern.compile("never", CI),
            Pattern.compile("guaranteed", CI), Pattern.compile("definitely", CI));
    /** Case-insensitive here; the legacy regex was case-sensitive ("According to" was no evidence). */
    static final Pattern EVIDENCE = Pattern.compile("\\[\\d+\\]|\\(\\d{4}\\)|according to|based on", CI);
    static final Pattern IMPOSSIBLE_CLAIMS = Pattern.compile(
            "100% improvement|zero latency|infinite throughput|no cost|perfect accuracy", CI);

    // ---------------------------------------------------------------- helpers

    /** @return the number of non-overlapping matches, left to right (Python's len(re.findall)) */
    static int count(Pattern pattern, CharSequence text) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

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
     * Decides {@code s1.*s2.*...} where each step is a pattern: true when, on one line (Python's
     * {@code .} stops at {@code \n} only), each step matches after the end of the previous one.
     * Taking the leftmost match of each step is optimal, so this equals the regex's answer; the steps
     * used here are literals and single digits, whose leftmost match also ends first.
     */
    static boolean inOrderOnOneLine(List<Pattern> steps, String text) {
        Matcher[] matchers = new Matcher[steps.size()];
        for (int i = 0; i < matchers.length; i++) {
            matchers[i] = steps.get(i).matcher(text);
        }
        Matcher first = matchers[0];
        int from = 0;
        while (from <= text.length() && first.find(from)) {
            int lineEnd = text.indexOf('\n', first.end());
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            int pos = first.end();
            boolean all = true;
            for (int i = 1; i < matchers.length && all; i++) {
                Matcher m = matchers[i];
                m.region(pos, lineEnd);
                all = m.find();
                if (all) {
                    pos = m.end();
                }
            }
            if (all) {
                return true;
            }
            // The leftmost first step of this line failed, so every later one on it fails too.
            from = lineEnd + 1;
        }
        return false;
    }

    /**
     * Finds the next match of {@code /[\w\-./]+\.\w+} at or after {@code from}, as the backtracking
     * regex would (its greedy run takes the last '.' that is followed by a word character, then the
     * word after it), but in linear time: when the first '/' of a run finds no such '.', no later '/'
     * of that run can, so the run is skipped instead of rescanned from each '/'.
     *
     * @return {start, end} of the match, or null
     */
    static int[] findSlashPath(String text, int from) {
        int n = text.length();
        int i = from;
        while (i < n) {
            int slash = text.indexOf('/', i);
            if (slash < 0) {
                return null;
            }
            int runEnd = slash + 1;
            while (runEnd < n && isPathChar(text.codePointAt(runEnd))) {
                runEnd += Character.charCount(text.codePointAt(runEnd));
            }
            for (int p = runEnd - 2; p >= slash + 2; p--) {
                if (text.charAt(p) == '.' && isWord(text.codePointAt(p + 1))) {
                    int end = p + 1;
                    while (end < n && isWord(text.codePointAt(end))) {
                        end += Character.charCount(text.codePointAt(end));
                    }
                    return new int[] {slash, end};
                }
            }
            i = Math.max(runEnd, slash + 1);
        }
        return null;
    }

    /** @return the count of the error pattern {@code /[\w\-./]+\.\w+|[A-Z]:\\[\w\\\-.]+\.\w+} (CI) */
    static int countFilePaths(String text) {
        Matcher windows = WINDOWS_PATH_CI.matcher(text);
        int count = 0;
        int pos = 0;
        while (pos < text.length()) {
            int[] slash = findSlashPath(text, pos);
            int windowsStart = windows.find(pos) ? windows.start() : -1;
            if (slash == null && windowsStart < 0) {
                break;
            }
            // The leftmost match wins; the two alternatives never start on the same character.
            if (slash != null && (windowsStart < 0 || slash[0] < windowsStart)) {
                count++;
                pos = slash[1];
            } else {
                count++;
                pos = windows.end();
            }
        }
        return count;
    }

    /**
     * @return the count of the error pattern stack_trace_indicators. A call frame
     *         {@code at\s+[\w.]+\([^)]+\)} needs a ')' after it, so past the last ')' of the text only the
     *         word alternatives are tried (the regex would rescan to the end of the text from every
     *         {@code at x(} there). No match spans the last ')': the words hold none, and a frame ends at
     *         the first ')' after its '('.
     */
    static int countStackTraces(String text) {
        int last = text.lastIndexOf(')');
        int count = 0;
        if (last >= 0) {
            Matcher m = STACK_TRACE.matcher(text);
            m.region(0, last + 1);
            while (m.find()) {
                count++;
            }
        }
        Matcher words = STACK_TRACE_WORDS.matcher(text);
        words.region(last + 1, text.length());
        while (words.find()) {
            count++;
        }
        return count;
    }

    private static boolean isPathChar(int cp) {
        return cp == '-' || cp == '.' || cp == '/' || isWord(cp);
    }

    /**
     * Java's {@code \w} under {@code UNICODE_CHARACTER_CLASS} (the Unicode word characters, as
     * Python's): letters, marks, decimal digits, connector punctuation and the join controls.
     */
    static boolean isWord(int cp) {
        if (Character.isAlphabetic(cp) || Character.isDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.CONNECTOR_PUNCTUATION
                || cp == 0x200C || cp == 0x200D;
    }

    private static List<Pattern> literals(String first, String then) {
        return List.of(Pattern.compile(Pattern.quote(first), CI), Pattern.compile(Pattern.quote(then), CI));
    }
}
