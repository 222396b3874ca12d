package io.wsrouter.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The views of one text every calculator shares, computed once (quality-rules.md section 0):
 * the text, its lowercase form, their {@link ScanText} projections, its tokens, its raw sentence
 * pieces and its sentences. The splits are hand scanners (one pass each) with the legacy regexes'
 * meaning: tokens are the runs between Java's Unicode {@code \s+}, sentence pieces the text split on
 * {@code [.!?]+}.
 */
final class TextFacts {

    final String content;
    final String lower;
    /** The content as the gate's patterns read it. */
    final ScanText scan;
    /** The lowercase form as the gate's patterns read it. */
    final ScanText scanLower;
    final List<String> tokens;
    /** Pieces between runs of {@code [.!?]}, empty ones included ("Hello." gives 2). */
    final int rawSentenceCount;
    /** The raw pieces that are not blank, trimmed. */
    final List<String> sentences;

    TextFacts(String content) {
        this.content = content;
        this.lower = content.toLowerCase(Locale.ROOT);
        this.scan = new ScanText(content);
        this.scanLower = new ScanText(lower);
        this.tokens = tokens(content);
        List<String> pieces = sentencePieces(content);
        this.rawSentenceCount = pieces.size();
        List<String> kept = new ArrayList<>();
        for (String piece : pieces) {
            String trimmed = piece.strip();
            if (!trimmed.isEmpty()) {
                kept.add(trimmed);
            }
        }
        this.sentences = List.copyOf(kept);
    }

    /** @return the text split on runs of whitespace, without empty tokens (Python's str.split()) */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (ScanText.isSpace(cp)) {
                if (start >= 0) {
                    out.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(text.substring(start));
        }
        return out;
    }

    /**
     * @return the text split on runs of {@code [.!?]}, keeping empty pieces at both ends (Java's
     *         {@code Pattern.split(text, -1)}: a text with no separator is one piece)
     */
    static List<String> sentencePieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            if (isSentenceEnd(text.charAt(i))) {
                out.add(text.substring(start, i));
                while (i < text.length() && isSentenceEnd(text.charAt(i))) {
                    i++;
                }
                start = i;
            } else {
                i++;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static boolean isSentenceEnd(char c) {
        return c == '.' || c == '!' || c == '?';
    }
}
