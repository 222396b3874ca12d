package io.wsrouter.quality;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Texts an attacker would send to the gate, each as long as the content limit allows: runs that a
 * backtracking {@code \d+\.?\d*}, {@code \s*} or {@code [\w.]+} could split many ways, separators and
 * alternating classes that start a match attempt at every character, unit suffixes, unclosed frames,
 * lookahead bait, and sentences built to make the pairwise redundancy comparison work.
 */
final class HostileTexts {

    /** The content limit of {@code validate_content}. */
    static final int LENGTH = QualityDispatcher.DEFAULT_MAX_CONTENT_LENGTH;

    private HostileTexts() {
    }

    /** @return the families by name, each text exactly {@code length} characters (UTF-16 units) */
    static Map<String, String> families(int length) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("digit run", repeat("1", length));
        f.put("digit run then unit-less word char", repeat("1", length - 1) + "a");
        f.put("digits and dots", repeat("1.", length));
        f.put("digit run, dot, digit run", repeat("1", length / 2) + "." + repeat("1", length));
        f.put("digits then space run", repeat("1", length / 2) + repeat(" ", length));
        f.put("space run", repeat(" ", length));
        f.put("mixed whitespace run", repeat(" \t\n\u00A0", length));
        f.put("space run then word", repeat(" ", length - 1) + "x");
        f.put("repeated dashes", repeat("-", length));
        f.put("repeated slashes", repeat("/", length));
        f.put("repeated dots", repeat(".", length));
        f.put("repeated colons", repeat(":", length));
        f.put("repeated underscores", repeat("_", length));
        f.put("repeated equals", repeat("=", length));
        f.put("alternating letter digit", repeat("a1", length));
        f.put("alternating letter underscore", repeat("A_", length));
        f.put("alternating digit space", repeat("1 ", length));
        f.put("alternating digit colon", repeat("1:", length));
        f.put("alternating letter dot", repeat("a.", length));
        f.put("alternating slash word dot", repeat("/a.", length));
        f.put("long lowercase word", repeat("a", length));
        f.put("long uppercase word", repeat("A", length));
        f.put("long word then non-ASCII", repeat("A", length - 1) + "\u00E9");
        f.put("unit suffix repeats", repeat("1ms", length));
        f.put("spaced unit repeats", repeat("1 ms ", length));
        f.put("percent repeats", repeat("1%", length));
        f.put("x suffix repeats", repeat("1x", length));
        f.put("decimal unit repeats", repeat("1.5 tokens ", length));
        f.put("unclosed stack frames", repeat("at a(", length));
        f.put("unclosed frames with words", repeat("at a(Traceback ", length));
        f.put("frame words then one paren", repeat("at a(Traceback ", length - 1) + ")");
        f.put("more efficient bait", repeat("more efficient ", length));
        f.put("more efficient than", repeat("more efficient than ", length));
        f.put("more efficient, space run, by", "more efficient" + repeat(" ", length - 16) + "by");
        f.put("from without to", repeat("from 1 ", length));
        f.put("circular bait", repeat("improve ", length));
        f.put("path-like run", repeat("/a-b", length));
        f.put("config extension bait", repeat("a.yam", length));
        f.put("unclosed quoted config value", "a_b=\"" + repeat("x", length - 5));
        f.put("config keys", repeat("a_b=", length));
        f.put("hex prefixes", repeat("0x", length));
        f.put("process ids", repeat("pid:", length));
        f.put("error code run", repeat("ABC_", length));
        f.put("url-like", "a://" + repeat("a.", length - 4));
        f.put("service id bait", repeat("a-b-1.", length));
        f.put("times of day bait", repeat("1:1 ", length));
        f.put("named figure bait", repeat("latency ", length));
        f.put("select bait", "SELECT " + repeat("a ", length - 7));
        f.put("arabic-indic digits", repeat("\u0663", length));
        f.put("non-ASCII word chars", repeat("\u00E91", length));
        f.put("kelvin and dotted I", repeat("\u212A\u0130_", length));
        f.put("supplementary digits", repeat("\uD835\uDFCE", length));
        f.put("distinct short sentences", distinctSentences(length, ""));
        f.put("distinct sentences sharing a word", distinctSentences(length, "the "));
        f.put("backticks", repeat("`", length));
        f.put("shell variable bait", repeat("$ ", length));
        return f;
    }

    static String repeat(String unit, int length) {
        if (length <= 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            sb.append(unit);
        }
        sb.setLength(length);
        return sb.toString();
    }

    /** Sentences of distinct short words ("ab. ac. ad. ..."), so no two token sets are equal. */
    private static String distinctSentences(int length, String shared) {
        StringBuilder sb = new StringBuilder(length);
        int i = 0;
        while (sb.length() < length) {
            sb.append(shared).append(Integer.toString(i++, 36)).append(". ");
        }
        sb.setLength(length);
        return sb.toString();
    }
}
