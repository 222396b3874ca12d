package io.wsrouter.quality;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pattern of the gate, written in the legacy {@code java.util.regex} syntax and run by RE2/J, whose
 * automaton takes time linear in the text whatever the pattern and the text (no backtracking: a run of
 * 32,000 digits costs what any 32,000 characters cost).
 *
 * <p>The pattern runs on a {@link ScanText} projection (one ASCII byte per code point), into which it
 * is translated when compiled: every atom (a literal, {@code .}, {@code \d}, {@code \w}, {@code \s},
 * a bracket class) becomes the class of the projection bytes that the atom matches, as decided by
 * {@code java.util.regex} itself on every code point the byte stands for (the translation fails when
 * they disagree, so the projection cannot silently drift from the atoms in use). Groups, alternation,
 * greedy and lazy quantifiers and {@code \b} are kept; RE2 prefers among them as a backtracking engine
 * does (leftmost, then the first alternative, greedy first), so matches and counts are the legacy
 * ones. What RE2 cannot express is refused: lookaround, backreferences, possessive quantifiers,
 * {@code ^} and {@code $}. The gate rewrites the few legacy patterns that used them (see
 * {@link GatePatterns}).
 *
 * <p>Immutable and thread-safe (a matcher is created per call).
 */
final class LinearPattern {

    /** Flags of the legacy patterns (Python semantics, see {@link GatePatterns}). */
    private static final int JAVA_CS = java.util.regex.Pattern.UNICODE_CHARACTER_CLASS
            | java.util.regex.Pattern.UNIX_LINES;
    private static final int JAVA_CI = JAVA_CS | java.util.regex.Pattern.CASE_INSENSITIVE
            | java.util.regex.Pattern.UNICODE_CASE;

    private static final Members CS_MEMBERS = new Members(false);
    private static final Members CI_MEMBERS = new Members(true);

    private final String source;
    private final boolean caseInsensitive;
    private final Pattern re2;

    private LinearPattern(String source, boolean caseInsensitive) {
        this.source = source;
        this.caseInsensitive = caseInsensitive;
        this.re2 = Pattern.compile(translate(source, caseInsensitive));
    }

    /** @return the pattern, case-sensitive */
    static LinearPattern cs(String javaRegex) {
        return new LinearPattern(javaRegex, false);
    }

    /** @return the pattern, case-insensitive as Java's {@code CASE_INSENSITIVE | UNICODE_CASE} */
    static LinearPattern ci(String javaRegex) {
        return new LinearPattern(javaRegex, true);
    }

    /** @return the legacy {@code java.util.regex} source this pattern decides */
    String source() {
        return source;
    }

    boolean caseInsensitive() {
        return caseInsensitive;
    }

    /** @return the RE2 pattern over the projection */
    Pattern re2() {
        return re2;
    }

    /** @return a matcher over the text's projection; positions count code points */
    Matcher matcher(ScanText text) {
        return re2.matcher(caseInsensitive ? text.caseInsensitive() : text.caseSensitive());
    }

    /** @return whether the pattern matches somewhere in the text */
    boolean find(ScanText text) {
        return matcher(text).find();
    }

    /** @return the number of non-overlapping matches, left to right (Python's len(re.findall)) */
    int count(ScanText text) {
        Matcher m = matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Override
    public String toString() {
        return source;
    }

    /**
     * @return every atom translated so far in the given mode, as (Java atom, RE2 class over the
     *         projection); the tests check each against every code point
     */
    static Map<String, String> translatedAtoms(boolean ci) {
        return Map.copyOf((ci ? CI_MEMBERS : CS_MEMBERS).atoms);
    }

    // ------------------------------------------------------------------ translation

    static String translate(String re, boolean ci) {
        Members members = ci ? CI_MEMBERS : CS_MEMBERS;
        int flags = ci ? JAVA_CI : JAVA_CS;
        StringBuilder out = new StringBuilder(re.length() * 4);
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= re.length()) {
                        throw unsupported(re, i, "a trailing backslash");
                    }
                    char e = re.charAt(i + 1);
                    if (e == 'Q') {
                        int end = re.indexOf("\\E", i + 2);
                        int stop = end < 0 ? re.length() : end;
                        for (int k = i + 2; k < stop; k++) {
                            out.append(members.atom(java.util.regex.Pattern.quote(String.valueOf(re.charAt(k))), flags));
                        }
                        i = end < 0 ? re.length() : end + 2;
                    } else if (e == 'b' || e == 'B') {
                        out.append('\\').append(e);
                        i += 2;
                    } else if ("dDwWsStn".indexOf(e) >= 0 || !Character.isLetterOrDigit(e)) {
                        out.append(members.atom(re.substring(i, i + 2), flags));
                        i += 2;
                        i = quantifier(re, i, out);
                    } else {
                        throw unsupported(re, i, "the escape \\" + e);
                    }
                    continue;
                }
                case '[' -> {
                    int end = classEnd(re, i);
                    out.append(members.atom(re.substring(i, end + 1), flags));
                    i = end + 1;
                }
                case '(' -> {
                    if (re.startsWith("(?:", i)) {
                        out.append("(?:");
                        i += 3;
                    } else if (i + 1 < re.length() && re.charAt(i + 1) == '?') {
                        throw unsupported(re, i, "lookaround or inline flags");
                    } else {
                        out.append('(');
                        i++;
                    }
                    continue;
                }
                case ')' -> {
                    out.append(')');
                    i++;
                }
                case '|' -> {
                    out.append('|');
                    i++;
                    continue;
                }
                case '^', '$' -> throw unsupported(re, i, "an anchor");
                case '*', '+', '?', '{' -> throw unsupported(re, i, "a quantifier with nothing to repeat");
                default -> {
                    out.append(members.atom(c == '.' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)), flags));
                    i++;
                }
            }
            i = quantifier(re, i, out);
        }
        return out.toString();
    }

    /** Copies the quantifier at {@code i}, if any (with its lazy {@code ?}); refuses possessive ones. */
    private static int quantifier(String re, int i, StringBuilder out) {
        if (i >= re.length()) {
            return i;
        }
        char q = re.charAt(i);
        int end;
        if (q == '*' || q == '+' || q == '?') {
            end = i + 1;
        } else if (q == '{') {
            end = re.indexOf('}', i) + 1;
            if (end == 0) {
                throw unsupported(re, i, "an unclosed {");
            }
        } else {
            return i;
        }
        out.append(re, i, end);
        if (end < re.length() && re.charAt(end) == '?') {
            out.append('?');
            end++;
        } else if (end < re.length() && re.charAt(end) == '+') {
            throw unsupported(re, end, "a possessive quantifier");
        }
        if (end < re.length() && "*+?{".indexOf(re.charAt(end)) >= 0) {
            throw unsupported(re, end, "a repeated quantifier");
        }
        return end;
    }

    private static int classEnd(String re, int open) {
        int i = open + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '[' || (c == '&' && re.startsWith("&&", i))) {
                throw unsupported(re, i, "a nested or intersected class");
            } else if (c == ']' && i > open + 1) {
                return i;
            } else {
                i++;
            }
        }
        throw unsupported(re, open, "an unclosed class");
    }

    private static IllegalArgumentException unsupported(String re, int at, String what) {
        return new IllegalArgumentException("not a linear-time pattern (" + what + " at " + at + "): " + re);
    }

    /**
     * The code points each projection byte stands for: every ASCII one and a few others spread over
     * the class, enough to catch a projection that does not fit an atom (the tests check every code point).
     */
    private static final class Members {
        private static final int[] EXTRA = {0x1D7CE, 0x10400, 0x1F600, 0x20000, 0xE0001, 0xD800, 0xDFFF};

        private final boolean ci;
        private final List<List<String>> byByte = new ArrayList<>(128);
        private final int[] nonAscii = new int[128];
        private final Map<String, String> atoms = new ConcurrentHashMap<>();

        Members(boolean ci) {
            this.ci = ci;
            for (int b = 0; b < 128; b++) {
                byByte.add(new ArrayList<>());
            }
            for (int cp = 0; cp < 0x10000; cp++) {
                add(cp);
            }
            for (int cp : EXTRA) {
                add(cp);
            }
        }

        private void add(int cp) {
            byte b = ci ? ScanText.projectCaseInsensitive(cp) : ScanText.projectCaseSensitive(cp);
            // Non-ASCII members: the 1st, 2nd, 3rd, 5th, 9th, 17th, ... of the class, spread over the BMP.
            int k = cp < 0x80 ? 0 : nonAscii[b]++;
            if (cp < 0x80 || (k & (k - 1)) == 0 || cp > 0xFFFF) {
                byByte.get(b).add(new String(Character.toChars(cp)));
            }
        }

        /** @return the RE2 class of the projection bytes that the Java atom matches */
        String atom(String javaAtom, int flags) {
            return atoms.computeIfAbsent(javaAtom, a -> compute(a, flags));
        }

        private String compute(String javaAtom, int flags) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(javaAtom, flags);
            boolean[] in = new boolean[128];
            int size = 0;
            for (int b = 0; b < 128; b++) {
                List<String> list = byByte.get(b);
                if (list.isEmpty()) {
                    continue;
                }
                boolean first = p.matcher(list.get(0)).matches();
                for (String member : list) {
                    if (p.matcher(member).matches() != first) {
                        throw new IllegalStateException("the projection puts " + codePoints(list.get(0)) + " and "
                                + codePoints(member) + " in one class, but " + javaAtom + " tells them apart");
                    }
                }
                if (first) {
                    in[b] = true;
                    size++;
                }
            }
            if (size == 0) {
                return "[^\\x00-\\x{10FFFF}]";
            }
            if (size == 1) {
                for (int b = 0; b < 128; b++) {
                    if (in[b]) {
                        return hex(b);
                    }
                }
            }
            boolean negate = size > 64;
            StringBuilder sb = new StringBuilder(negate ? "[^" : "[");
            for (int b = 0; b < 128; b++) {
                if (in[b] != negate) {
                    sb.append(hex(b));
                }
            }
            return sb.append(']').toString();
        }

        private static String hex(int b) {
            return String.format("\\x{%02x}", b);
        }

        private static String codePoints(String s) {
            return String.format("U+%04X", s.codePointAt(0));
        }
    }
}
