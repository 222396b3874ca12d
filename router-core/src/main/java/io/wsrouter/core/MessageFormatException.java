package io.wsrouter.core;

import java.util.Objects;

/**
 * Thrown by {@link Message#parse(String)} and the other {@link Message} factories when input is not
 * a valid wsrouter message. {@link #errorCode()} says why, with the same code the router puts on the
 * wire when it rejects the frame.
 *
 * <pre>{@code
 * try {
 *     Message m = Message.parse(frame);
 * } catch (MessageFormatException e) {
 *     if (e.errorCode() == ErrorCode.MESSAGE_TOO_LARGE) { ... }
 * }
 * }</pre>
 */
public class MessageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the input was refused; never null. */
    private final ErrorCode errorCode;

    /**
     * Creates a rejection of malformed input.
     *
     * @param errorCode why the input was refused, never null
     * @param message a description for people; must not contain the input itself
     */
    public MessageFormatException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    /**
     * Creates a rejection of input the parser could not read.
     *
     * @param errorCode why the input was refused, never null
     * @param message a description for people; must not contain the input itself
     * @param cause the parser's exception
     */
    public MessageFormatException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    /** {@return the stable code of this rejection, never null} */
    public ErrorCode errorCode() {
        return errorCode;
    }
}
