package io.wsrouter.quality;

/**
 * A text as the gate's {@link LinearPattern}s read it: one ASCII byte per code point, so that RE2/J
 * (whose {@code \b} knows only ASCII word characters and whose case folding is not Java's) decides
 * exactly what the legacy {@code java.util.regex} patterns decided with {@code UNICODE_CHARACTER_CLASS},
 * {@code CASE_INSENSITIVE | UNICODE_CASE} and {@code UNIX_LINES}.
 *
 * <p>Each projection maps every code point to one byte that stands for its class: all the code points
 * that a byte stands for are matched alike by every atom of the gate's patterns (checked when a pattern
 * is translated, and for every code point by the tests). Java's word characters become ASCII word
 * characters and nothing else does, so RE2's ASCII {@code \b} is Java's Unicode {@code \b}.
 * <ul>
 *   <li>Case-sensitive: ASCII letters, {@code _}, punctuation, space and {@code \n} stay themselves;
 *       every decimal digit (ASCII or not) becomes {@code 0} (no case-sensitive pattern tells digits
 *       apart); any other Unicode word character becomes {@code 1}.</li>
 *   <li>Case-insensitive: letters are folded to lowercase as Java's {@code UNICODE_CASE} folds them
 *       ({@code ſ} is {@code s}, dotless {@code ı} is {@code i}); {@code İ} (U+0130) and the Kelvin
 *       sign match {@code i} and {@code k} but not {@code [A-Z]}, so they become {@code I} and
 *       {@code K}; ASCII digits stay, other decimal digits become {@code D}, other word characters
 *       {@code W}.</li>
 *   <li>Both: other white space ({@code \t}, {@code \r}, U+00A0, U+2028, ...) becomes {@code \t};
 *       anything else (controls, symbols, lone surrogates) becomes {@code 0x00}.</li>
 * </ul>
 * Positions in a projection count code points; {@link #charIndex(int)} maps them back to the text.
 * Not thread-safe: one per validation.
 */
final class ScanText {

    static final byte OTHER = 0;
    static final byte OTHER_SPACE = '\t';

    private static final byte[] CS_BMP = new byte[0x10000];
    private static final byte[] CI_BMP = new byte[0x10000];

    static {
        for (int cp = 0; cp < 0x10000; cp++) {
            CS_BMP[cp] = projectCaseSensitive(cp);
            CI_BMP[cp] = projectCaseInsensitive(cp);
        }
    }

    private final String text;
    private final boolean bmpOnly;
    private byte[] caseSensitive;
    private byte[] caseInsensitive;
    private int[] charIndex;

    ScanText(String text) {
        this.text = text;
        this.bmpOnly = text.codePointCount(0, text.length()) == text.length();
    }

    String text() {
        return text;
    }

    /** @return the case-sensitive projection (computed once) */
    byte[] caseSensitive() {
        if (caseSensitive == null) {
            caseSensitive = project(CS_BMP, false);
        }
        return caseSensitive;
    }

    /** @return the case-insensitive projection (computed once) */
    byte[] caseInsensitive() {
        if (caseInsensitive == null) {
            caseInsensitive = project(CI_BMP, true);
        }
        return caseInsensitive;
    }

    /** @return the index in {@link #text()} of the code point at {@code cpIndex} (or the text's length) */
    int charIndex(int cpIndex) {
        if (bmpOnly) {
            return cpIndex;
        }
        if (charIndex == null) {
            int[] map = new int[text.codePointCount(0, text.length()) + 1];
            int i = 0;
            int k = 0;
            while (i < text.length()) {
                map[k++] = i;
                i += Character.charCount(text.codePointAt(i));
            }
            map[k] = text.length();
            charIndex = map;
        }
        return charIndex[cpIndex];
    }

    private byte[] project(byte[] bmp, boolean ci) {
        if (bmpOnly) {
            byte[] out = new byte[text.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = bmp[text.charAt(i)];
            }
            return out;
        }
        byte[] out = new byte[text.codePointCount(0, text.length())];
        int i = 0;
        int k = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            out[k++] = cp < 0x10000 ? bmp[cp] : ci ? projectCaseInsensitive(cp) : projectCaseSensitive(cp);
            i += Character.charCount(cp);
        }
        return out;
    }

    static byte projectCaseSensitive(int cp) {
        if (cp >= '0' && cp <= '9') {
            return '0';
        }
        byte common = projectCommon(cp);
        if (common >= 0) {
            return common;
        }
        if (Character.isDigit(cp)) {
            return '0';
        }
        return isWord(cp) ? (byte) '1' : OTHER;
    }

    static byte projectCaseInsensitive(int cp) {
        if (cp >= 'A' && cp <= 'Z') {
            return (byte) (cp + ('a' - 'A'));
        }
        byte common = projectCommon(cp);
        if (common >= 0) {
            return common;
        }
        if (Character.isDigit(cp)) {
            return 'D';
        }
        int upper = Character.toUpperCase(cp);
        int folded = Character.toLowerCase(upper);
        if (folded >= 'a' && folded <= 'z') {
            // Java's CI range [A-Z] tests the upper case (and its lower case); a literal, the folded form.
            return (byte) (upper >= 'A' && upper <= 'Z' ? folded : folded - ('a' - 'A'));
        }
        return isWord(cp) ? (byte) 'W' : OTHER;
    }

    /** @return the byte both projections give, or -1 when the code point needs a per-projection rule */
    private static byte projectCommon(int cp) {
        if (cp == ' ' || cp == '\n') {
            return (byte) cp;
        }
        if (isSpace(cp)) {
            return OTHER_SPACE;
        }
        if (cp < 0x80) {
            return cp < 0x20 || cp == 0x7F ? OTHER : (byte) cp;
        }
        return -1;
    }

    /** Java's {@code \s} under {@code UNICODE_CHARACTER_CLASS}: the Unicode White_Space property. */
    static boolean isSpace(int cp) {
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || (cp >= 0x9 && cp <= 0xD) || cp == 0x85;
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
}
