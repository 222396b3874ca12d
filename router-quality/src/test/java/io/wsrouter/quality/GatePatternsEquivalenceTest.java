package io.wsrouter.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The gate's patterns run on RE2/J over a projection of the text ({@link LinearPattern},
 * {@link ScanText}). These tests hold them to the legacy regexes, compiled here as the legacy gate
 * compiled them with {@code java.util.regex} (the oracle), on the 30,000-text random corpus of the
 * earlier linear rewrites, on 10,000 texts over the characters the projection treats specially,
 * on 10,000 texts made of the patterns' own words, and on every hostile family cut to lengths short
 * enough for the backtracking oracle to answer quickly. Every pattern must give the same count (or,
 * where only a match counts, the same answer) on every text.
 */
class GatePatternsEquivalenceTest {

    private static final int CS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    private static final int CI = CS | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    /** The alphabet of the earlier equivalence corpus. */
    private static final String ALPHABET = "aAbZ_1٣9/.-:\\ =\"\té\nxyamlcofnigtrpsuvhdbkeSELCTwz";
    private static final int SAMPLES = 30_000;
    /** The code points the projections single out (as strings; some are surrogate pairs or lone halves). */
    private static final String[] SPECIAL = {"\u0130", "\u0131", "\u017F", "\u212A", "k", "K", "i", "I", "s", "S",
        "\u0663", "\uD835\uDFCE", "\u00E9", "\u00C9", "\uD801\uDC00", "\u00A0", "\u2028", "\u0085", "\r", "\u000B",
        "\u0000", "\u007F", "\u20AC", "\uD83D\uDE00", "\uD800", "\u0301", "\u200D", "\u203F", "1", "0", " ", "\n",
        "\t", "_", ".", "-", "%", "x", "m", "(", ")", "`", "$", "\"", "/", ":", "="};
    /** Pieces of the patterns' own words, so the corpus reaches deep into each pattern. */
    private static final String[] WORDS = {"ms", "MS", "GB", "kb", "tokens", "token", "requests", "QPS", "flops", "x",
        "%", "1", "12", "1.5", "3.", "\u0663", "\uD835\uDFCE", " ", "  ", "\n", "\t", ".", ":", "-", "=", "/", "_",
        "from ", "to ", "before ", "more efficient", "More\tEfficient", " by", " than", "bypass", "at ", "at\t", "a.b",
        "(", ")", "Traceback", "exception in", "Stack trace", "0x1f", "0xZ", "ERROR:", "warn: ", "pid=", "PID:",
        "process ", "batch_size", "top_k", "timeout", "connections", "latency", "Latency", "f1", "AM", "minutes",
        "second", "per second", "/s", "SELECT", "pip install", "C:\\", "c:\\a.b", "http://", "https://x", ".yaml",
        ".conf", "improve", "to improve", "you should improve", "by optimizing", "optimize", "it", "things",
        "generally speaking", "in conclusion", "studies show", "always", "according to", "Based on", "[1]", "(2020)",
        "100% improvement", "zero latency", "step 1", "first", "then", "`code`", "`", "$", "$ HOME", "ABC_12",
        "a_b", "max_connections", "true", "\"", "\"v\"", "v1.2.3", "svc-api-", "2024-01-02T03:04:05.6Z", "10:30",
        "\u0130", "\u212A", "\u017F", "\u0131", "\u00E9", "make it better", "just optimize", "prevention",
        "rollback", "immediate actions", "a-", "--", "//", "::", "__"};

    /** A legacy pattern and what the gate now computes for it. */
    private record Case(String name, Function<String, Object> oracle, Function<String, Object> now) {
    }

    private static Pattern legacy(String regex, boolean ci) {
        return Pattern.compile(regex, ci ? CI : CS);
    }

    private static int legacyCount(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Case count(String name, String regex, boolean ci, Function<ScanText, Integer> now) {
        Pattern p = legacy(regex, ci);
        return new Case(name, s -> legacyCount(p, s), s -> now.apply(new ScanText(s)));
    }

    private static Case count(String name, String regex, boolean ci, LinearPattern now) {
        return count(name, regex, ci, now::count);
    }

    private static Case find(String name, String regex, boolean ci, LinearPattern now) {
        Pattern p = legacy(regex, ci);
        return new Case(name, s -> p.matcher(s).find(), s -> now.find(new ScanText(s)));
    }

    /** A pattern the gate applies to the lowercased text. */
    private static Case findInLower(String name, String regex, LinearPattern now) {
        Pattern p = legacy(regex, false);
        return new Case(name, s -> p.matcher(s.toLowerCase(Locale.ROOT)).find(),
                s -> now.find(new ScanText(s.toLowerCase(Locale.ROOT))));
    }

    /** Every pattern of the gate, with the legacy regex as the legacy gate compiled it. */
    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(count("generic", GatePatterns.GENERIC_PHRASES.stream().map(Pattern::quote)
                .collect(Collectors.joining("|")), true, GatePatterns.GENERIC));
        String vague = String.join("|", "just\\s+optimize", "optimize\\s+(things|stuff|it|everything|something)",
                "improve\\s+(things|stuff|it|everything|something)", "enhance\\s+(things|stuff|it|everything|something)",
                "make\\s+(?:it\\s+)?better", "more\\s+efficient(?!\\s+(by|than))", "consider\\s+optimizing",
                "think about\\s+improving", "look into\\s+enhancing", "you might want to", "you could try",
                "perhaps you should");
        c.add(count("vague", vague, true, GatePatterns::countVague));
        Pattern vaguePattern = legacy(vague, true);
        c.add(new Case("vague (find)", s -> vaguePattern.matcher(s).find(), s -> GatePatterns.findVague(new ScanText(s))));
        c.add(find("circular", "to improve.*you should improve|optimize.*by optimizing|better.*through better"
                + "|enhance.*by enhancing|for better.*use better|improve.*to improve|increase.*by increasing"
                + "|reduce.*by reducing|fix.*by fixing", true, GatePatterns.CIRCULAR));
        Map<String, String> errors = Map.ofEntries(
                Map.entry("error_codes", "\\b[A-Z_]+_[A-Z0-9_]+\\b|\\b[A-Z]{3,}_\\d+\\b"),
                Map.entry("timestamps", "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?"),
                Map.entry("service_identifiers", "\\b\\w+-\\w+-v?\\d+\\.\\d+\\.\\d+\\b|\\b\\w+://[\\w\\-.:/@]+\\b"),
                Map.entry("database_connections", "\\b(max_connections|connection_timeout|pool_size)\\s*[=:]\\s*\\d+"),
                Map.entry("system_commands", "(SELECT|UPDATE|ALTER|systemctl|pg_dump|pip install)\\s+[\\w\\s\\-=.()>*]+"),
                Map.entry("log_levels", "\\b(ERROR|WARN|INFO|DEBUG|FATAL|TRACE):\\s"),
                Map.entry("process_ids", "\\bpid[:\\s=]*\\d+\\b|\\bprocess\\s+\\d+\\b"),
                Map.entry("port_numbers", ":\\d{2,5}(?:/|\\b)"),
                Map.entry("memory_addresses", "0x[0-9a-fA-F]+"),
                Map.entry("configuration_keys", "\\b\\w+_\\w+\\s*[=:]\\s*(?:true|false|\\d+|\"[^\"]*\")"));
        assertThat(GatePatterns.ERROR_PATTERNS.keySet()).isEqualTo(errors.keySet());
        errors.forEach((name, regex) -> c.add(count(name, regex, true, GatePatterns.ERROR_PATTERNS.get(name))));
        c.add(count("file_paths", "/[\\w\\-./]+\\.\\w+|[A-Z]:\\\\[\\w\\\\\\-.]+\\.\\w+", true, GatePatterns.FILE_PATHS));
        c.add(count("stack_trace_indicators", "(at\\s+[\\w.]+\\([^)]+\\)|Traceback|Exception in|Stack trace)", true,
                GatePatterns::countStackTraces));
        c.add(count("numeric", "\\b\\d+(?:\\.\\d+)?(?:%|ms|GB|MB|KB|s|x|M|K)?\\b", false, GatePatterns.NUMERIC));
        c.add(count("unit_values", "\\b\\d+\\.?\\d*\\s*(ms|%|x|GB|MB|KB|tokens?|requests?|QPS|RPS|FLOPS)\\b", true,
                GatePatterns.UNIT_VALUES));
        c.add(count("parameter_settings", "(batch_size|learning_rate|temperature|top_[pk]|max_tokens|num_beams"
                + "|context_window)\\s*[=:]\\s*\\d+", true, GatePatterns.PARAMETER_SETTINGS));
        c.add(findInLower("step_markers", "(step \\d+|first|second|third|then|next|finally)", GatePatterns.STEP_MARKERS));
        c.add(find("inline_code", "`[^`]+`", false, GatePatterns.INLINE_CODE));
        c.add(find("shell_variable", "\\$\\s*\\w+", false, GatePatterns.SHELL_VARIABLE));
        String[] paths = {"/[\\w\\-./]+\\.\\w+", "[A-Z]:\\\\[\\w\\\\\\-.]+\\.\\w+", "https?://[\\w\\-./]+",
            "[\\w\\-./]+\\.(?:yaml|yml|py|json|xml|conf|cfg|ini)\\b"};
        for (int i = 0; i < paths.length; i++) {
            c.add(find("path kind " + i, paths[i], false, GatePatterns.PATH_PATTERNS.get(i)));
        }
        c.add(findInLower("error_resolution", "(immediate actions|prevention|resolution|rollback|monitoring)",
                GatePatterns.ERROR_RESOLUTION));
        String[] quantities = {"\\b\\d+\\.?\\d*\\s*%", "\\b\\d+\\.?\\d*\\s*(ms|microseconds|seconds?|minutes?|hours?)\\b",
            "\\b\\d+\\.?\\d*\\s*(GB|MB|KB|bytes?)\\b", "\\b\\d+\\.?\\d*\\s*(tokens?|requests?|queries|items?|elements?)\\b",
            "\\b\\d+\\.?\\d*\\s*(QPS|RPS|/s|per second)\\b", "\\b\\d+\\.?\\d*x\\b",
            "(increase|decrease|improve|reduce) by \\d+\\.?\\d*"};
        for (int i = 0; i < quantities.length; i++) {
            c.add(count("quantity " + i, quantities[i], true, GatePatterns.QUANTITIES.get(i)));
        }
        c.add(find("before_after", "(from|before).*\\d+.*to.*\\d+", true, GatePatterns.BEFORE_AFTER));
        Pattern named = legacy("(latency|throughput|accuracy|precision|recall|f1).{0,20}\\d+", true);
        c.add(new Case("named_figures", s -> {
            Set<String> names = new HashSet<>();
            Matcher m = named.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }, s -> {
            ScanText t = new ScanText(s);
            Set<String> names = new HashSet<>();
            com.google.re2j.Matcher m = GatePatterns.NAMED_FIGURES.matcher(t);
            while (m.find()) {
                names.add(s.substring(t.charIndex(m.start(1)), t.charIndex(m.end(1))));
            }
            return names;
        }));
        c.add(count("operational_settings", "(connections?|timeout|pool_size|threshold)\\s*[=:]\\s*\\d+", true,
                GatePatterns.OPERATIONAL_SETTINGS));
        c.add(count("times_of_day", "\\b\\d+[:-]\\d+(?:[:-]\\d+)?\\s*(AM|PM|minutes?|seconds?)", true,
                GatePatterns.TIMES_OF_DAY));
        c.add(count("acronym", "\\b[A-Z]{3,}\\b", false, GatePatterns.ACRONYM));
        c.add(find("big_number", "\\b\\d{4,}\\.?\\d*\\b", false, GatePatterns.BIG_NUMBER));
        String[] claims = {"studies show", "research indicates", "data proves", "always", "never", "guaranteed", "definitely"};
        for (int i = 0; i < claims.length; i++) {
            c.add(find("claim " + claims[i], claims[i], true, GatePatterns.CLAIMS.get(i)));
        }
        c.add(find("evidence", "\\[\\d+\\]|\\(\\d{4}\\)|according to|based on", true, GatePatterns.EVIDENCE));
        c.add(find("impossible_claims", "100% improvement|zero latency|infinite throughput|no cost|perfect accuracy",
                true, GatePatterns.IMPOSSIBLE_CLAIMS));
        Pattern whitespace = legacy("\\s+", false);
        c.add(new Case("tokens", s -> Arrays.stream(whitespace.split(s)).filter(w -> !w.isEmpty()).toList(),
                TextFacts::tokens));
        Pattern sentenceEnd = legacy("[.!?]+", false);
        c.add(new Case("sentence pieces", s -> List.of(sentenceEnd.split(s, -1)), TextFacts::sentencePieces));
        return c;
    }

    private static void assertSame(List<Case> cases, String text) {
        for (Case c : cases) {
            assertThat(c.now().apply(text)).as("%s on [%s]", c.name(), text).isEqualTo(c.oracle().apply(text));
        }
    }

    private static String randomOver(Random rnd, String[] pieces, int maxPieces) {
        int n = rnd.nextInt(maxPieces + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(pieces[rnd.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    @Test
    void everyPatternCountsLikeTheLegacyRegexOnTheRandomCorpus() {
        List<Case> cases = cases();
        Random rnd = new Random(1);
        for (int i = 0; i < SAMPLES; i++) {
            int n = rnd.nextInt(25);
            StringBuilder sb = new StringBuilder(n);
            for (int k = 0; k < n; k++) {
                sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
            }
            assertSame(cases, sb.toString());
        }
    }

    @Test
    void everyPatternCountsLikeTheLegacyRegexOnTheCharactersTheProjectionSinglesOut() {
        List<Case> cases = cases();
        Random rnd = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            assertSame(cases, randomOver(rnd, SPECIAL, 20));
        }
    }

    @Test
    void everyPatternCountsLikeTheLegacyRegexOnTextsOfThePatternsOwnWords() {
        List<Case> cases = cases();
        Random rnd = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            assertSame(cases, randomOver(rnd, WORDS, 12));
        }
    }

    @Test
    void everyPatternCountsLikeTheLegacyRegexOnShortHostileTexts() {
        List<Case> cases = cases();
        // Short enough for the backtracking oracle (cubic at worst on these families).
        for (int length = 1; length <= 48; length++) {
            for (String text : HostileTexts.families(length).values()) {
                assertSame(cases, text);
            }
        }
    }

    @Test
    void theProjectionKeepsEveryAtomsAnswerForEveryCodePoint() {
        cases();   // every pattern translated
        for (boolean ci : new boolean[] {false, true}) {
            Map<String, String> atoms = LinearPattern.translatedAtoms(ci);
            assertThat(atoms).hasSizeGreaterThan(20);
            List<Pattern> java = new ArrayList<>();
            List<boolean[]> re2 = new ArrayList<>();
            atoms.forEach((atom, cls) -> {
                java.add(Pattern.compile(atom, ci ? CI : CS));
                com.google.re2j.Pattern p = com.google.re2j.Pattern.compile(cls);
                boolean[] in = new boolean[128];
                for (int b = 0; b < 128; b++) {
                    in[b] = p.matches(new byte[] {(byte) b});
                }
                re2.add(in);
            });
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp += cp < 0x10000 ? 1 : 97) {
                byte b = ci ? ScanText.projectCaseInsensitive(cp) : ScanText.projectCaseSensitive(cp);
                String s = new String(Character.toChars(cp));
                for (int a = 0; a < java.size(); a++) {
                    if (java.get(a).matcher(s).matches() != re2.get(a)[b]) {
                        throw new AssertionError(String.format("U+%04X (byte %d, %s): atom %s", cp, b,
                                ci ? "case-insensitive" : "case-sensitive", java.get(a).pattern()));
                    }
                }
            }
        }
    }

    @Test
    void wordAndSpaceClassesAreJavasUnicodeClasses() {
        Pattern w = Pattern.compile("\\w", CS);
        Pattern s = Pattern.compile("\\s", CS);
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String text = new String(Character.toChars(cp));
            assertThat(ScanText.isWord(cp)).as("\\w U+%04X", cp).isEqualTo(w.matcher(text).matches());
            assertThat(ScanText.isSpace(cp)).as("\\s U+%04X", cp).isEqualTo(s.matcher(text).matches());
        }
    }

    @Test
    void patternsRE2CannotRunAreRefused() {
        for (String regex : List.of("a(?=b)", "a(?!b)", "(?<=a)b", "a++", "(a)\\1", "^a", "a$", "[a[b]]")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LinearPattern.cs(regex))
                    .as(regex).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a linear-time pattern");
        }
    }
}
