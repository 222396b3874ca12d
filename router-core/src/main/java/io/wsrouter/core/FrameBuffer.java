package io.wsrouter.core;

import java.io.Writer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One outbound frame, serialized but not yet a {@code String}: its envelope lies in a character buffer.
 * For an event of a user's stream the broker completes it with the offset and epoch it assigns, so that
 * a stamped event costs one {@code String}, not a plain one plus a stamped copy (the in-memory broker's
 * W2 cost was mostly that copy). The one place the stamp's text is written: {@link Broker#stamp} copies
 * a {@code String} frame in and stamps it here too.
 *
 * <p>Buffers are reused per thread ({@link #acquire()} takes the thread's buffer, {@link #release()}
 * gives it back), so a nested emit on that thread (a listener of the pool emitting while the outer event
 * is delivered) finds none and gets a fresh one. The thread-local holds a bare {@code char[]}, a JDK
 * type: a container thread that outlives a web application keeps no class of this library (no class
 * loader pinned after an undeploy). Not thread-safe: one thread from acquire to release.
 */
final class FrameBuffer extends Writer {

    private static final int INITIAL_CHARS = 512;
    /** A thread keeps a buffer up to this size between frames; a larger one (a huge event) is let go. */
    private static final int KEPT_CHARS = 16 * 1024;
    /** Each thread's spare buffer; null while a frame of that thread holds it. */
    private static final ThreadLocal<char[]> SPARE = new ThreadLocal<>();
    private static final String OFFSET = "\"offset\":";
    private static final String EPOCH = ",\"epoch\":\"";
    /**
     * The most a stamp writes from the closing brace on, besides the epoch: a comma, the offset field with
     * up to 19 digits, the epoch field, the closing quote and brace.
     */
    private static final int STAMP_CHARS = 1 + OFFSET.length() + 19 + EPOCH.length() + 2;

    private char[] chars;
    /** Characters of the envelope as serialized (ends with '}'). */
    private int length;
    private boolean released;
    /** Whether the last {@link #stamped} frame was US-ASCII only (its UTF-8 bytes are its characters). */
    private boolean stampedAscii;

    private FrameBuffer(char[] chars) {
        this.chars = chars;
    }

    /** {@return an empty frame, with the thread's buffer when it is free, owned by the caller until {@link #release()}} */
    static FrameBuffer acquire() {
        char[] chars = SPARE.get();
        if (chars == null) {
            chars = new char[INITIAL_CHARS]; // first use on this thread, or a nested emit: the outer one holds it
        } else {
            SPARE.set(null);
        }
        return new FrameBuffer(chars);
    }

    /**
     * {@return a frame holding a copy of {@code text}, owned by the caller until {@link #release()}}
     *
     * @throws NullPointerException when text is null
     */
    static FrameBuffer of(String text) {
        Objects.requireNonNull(text, "frame");
        FrameBuffer frame = acquire();
        frame.write(text, 0, text.length());
        return frame;
    }

    /** {@return the frame without offset and epoch} */
    String plain() {
        return new String(chars, 0, length);
    }

    /**
     * Completes the envelope with the stream position: {@code {...}} becomes
     * {@code {...,"offset":N,"epoch":"E"}}, as {@link Broker#stamp} does. May be called again (for
     * another position); each call builds one {@code String}.
     *
     * @param offset the event's offset
     * @param epoch  the stream's epoch, of {@code [A-Za-z0-9_-]} only (no escaping is done)
     * @return the stamped frame
     * @throws IllegalArgumentException when the frame is not a JSON object text
     */
    String stamped(long offset, String epoch) {
        int start = 0;
        while (start < length && isWhitespace(chars[start])) {
            start++;
        }
        int end = length - 1;
        while (end > start && isWhitespace(chars[end])) {
            end--;
        }
        if (end <= start || chars[start] != '{' || chars[end] != '}') {
            throw new IllegalArgumentException("an event frame must be a JSON object");
        }
        length = end + 1; // whitespace after the object, if any, is dropped: the stamp goes over it
        int last = end - 1;
        while (last > start && isWhitespace(chars[last])) {
            last--;
        }
        ensure(end + STAMP_CHARS + epoch.length());
        int at = end;
        if (last != start) { // a member before: a comma; "{ }" gets none
            chars[at++] = ',';
        }
        at = put(at, OFFSET);
        at = putLong(at, offset);
        at = put(at, EPOCH);
        at = put(at, epoch);
        chars[at++] = '"';
        chars[at++] = '}';
        String stamped = new String(chars, 0, at);
        chars[end] = '}'; // the envelope stays whole: plain() and another stamp still see it
        int bits = 0;
        for (int i = 0; i < at; i++) {
            bits |= chars[i];
        }
        stampedAscii = bits < 0x80;
        return stamped;
    }

    /**
     * {@return whether the frame {@link #stamped} last returned is US-ASCII only, so that it can be kept
     * as its characters}
     */
    boolean stampedIsAscii() {
        return stampedAscii;
    }

    /** Gives the buffer back to its thread (kept there up to {@value #KEPT_CHARS} chars); idempotent. */
    void release() {
        if (!released) {
            released = true;
            if (chars.length <= KEPT_CHARS) {
                SPARE.set(chars);
            }
        }
    }

    /** For tests: the buffer this frame writes into. */
    char[] buffer() {
        return chars;
    }

    /** JSON's insignificant whitespace (RFC 8259). */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private int put(int at, String s) {
        s.getChars(0, s.length(), chars, at);
        return at + s.length();
    }

    private int putLong(int at, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("an offset is never negative: " + value);
        }
        int digits = 1;
        for (long v = value / 10; v > 0; v /= 10) {
            digits++;
        }
        long v = value;
        for (int i = at + digits - 1; i >= at; i--) {
            chars[i] = (char) ('0' + (v % 10));
            v /= 10;
        }
        return at + digits;
    }

    private void ensure(int capacity) {
        if (capacity > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(capacity, chars.length * 2));
        }
    }

    // ---------------------------------------------------------------- Writer (Jackson writes the envelope here)

    @Override
    public void write(char[] source, int offset, int count) {
        ensure(length + count);
        System.arraycopy(source, offset, chars, length, count);
        length += count;
    }

    @Override
    public void write(String source, int offset, int count) {
        ensure(length + count);
        source.getChars(offset, offset + count, chars, length);
        length += count;
    }

    @Override
    public void write(int c) {
        ensure(length + 1);
        chars[length++] = (char) c;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
