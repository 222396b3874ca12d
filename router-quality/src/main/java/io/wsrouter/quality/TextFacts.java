package io.wsrouter.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The views of one text every calculator shares, computed once (quality-rules.md section 0):
 * the text, its lowercase form, its tokens, its raw sentence pieces and its sentences.
 */
final class TextFacts {

    final String content;
    final String lower;
    final List<String> tokens;
    /** Pieces between runs of {@code [.!?]}, empty ones included ("Hello." gives 2). */
    final int rawSentenceCount;
    /** The raw pieces that are not blank, trimmed. */
    final List<String> sentences;

    TextFacts(String content) {
        this.content = content;
        this.lower = content.toLowerCase(Locale.ROOT);
        this.tokens = tokens(content);
        String[] pieces = GatePatterns.SENTENCE_END.split(content, -1);
        this.rawSentenceCount = pieces.length;
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
        for (String token : GatePatterns.WHITESPACE.split(text)) {
            if (!token.isEmpty()) {
                out.add(token);
            }
        }
        return out;
    }
}
