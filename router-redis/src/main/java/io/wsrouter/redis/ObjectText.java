package io.wsrouter.redis;

/**
 * The shape check of an event frame before the publish script stamps it in Redis (the script adds
 * {@code ,"offset":N,"epoch":"E"} before the last character, and no comma after a lone <code>{</code>):
 * the same rule as {@code Broker.stamp} in core, whose stamping this module cannot call because the
 * offset is taken inside the script.
 */
final class ObjectText {

    private ObjectText() {
    }

    /**
     * @return the frame ready for the script: whitespace after the closing brace dropped, an object with
     *         only whitespace inside as <code>{}</code>
     * @throws IllegalArgumentException when the frame does not start with {@code '{'} and end with
     *                                  {@code '}'} (whitespace around allowed)
     */
    static String of(String frame) {
        int start = 0;
        int length = frame.length();
        while (start < length && isWhitespace(frame.charAt(start))) {
            start++;
        }
        int end = length - 1;
        while (end > start && isWhitespace(frame.charAt(end))) {
            end--;
        }
        if (end <= start || frame.charAt(start) != '{' || frame.charAt(end) != '}') {
            throw new IllegalArgumentException("an event frame must be a JSON object");
        }
        int last = end - 1;
        while (last > start && isWhitespace(frame.charAt(last))) {
            last--;
        }
        if (last == start) {
            return "{}";
        }
        return end == length - 1 ? frame : frame.substring(0, end + 1);
    }

    /** JSON's insignificant whitespace (RFC 8259). */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
