package io.wsrouter.core;

/**
 * The limits applied to every inbound frame before and while it is parsed. Immutable; build a
 * variant with the {@code with*} methods.
 *
 * <pre>{@code
 * MessageLimits limits = MessageLimits.DEFAULT.withMaxFrameBytes(16 * 1024);
 * Message m = Message.parse(frame, limits);
 * }</pre>
 *
 * @param maxFrameBytes   the largest frame accepted, in UTF-8 bytes ({@link ErrorCode#MESSAGE_TOO_LARGE})
 * @param maxNestingDepth the deepest JSON nesting accepted ({@link ErrorCode#NESTING_TOO_DEEP})
 * @param maxBatchEntries the most entries in a {@code batch} message or a JSON-RPC batch
 *                        ({@link ErrorCode#BATCH_TOO_LARGE})
 * @param maxNumberLength the longest JSON number literal accepted, in characters
 *                        ({@link ErrorCode#MESSAGE_TOO_LARGE})
 * @param maxKeys         the most object keys in one frame, counted at every depth
 *                        ({@link ErrorCode#TOO_MANY_KEYS}): bounds what a hash-flooding frame can cost
 */
public record MessageLimits(int maxFrameBytes, int maxNestingDepth, int maxBatchEntries, int maxNumberLength,
                            int maxKeys) {

    /** 64 KiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /** 32 levels. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 32;
    /** 100 entries. */
    public static final int DEFAULT_MAX_BATCH_ENTRIES = 100;
    /** 100 characters: more than any real identifier or measurement, far less than a number bomb. */
    public static final int DEFAULT_MAX_NUMBER_LENGTH = 100;
    /** 4096 keys per frame: a full batch of rich messages fits; a flood of tiny keys does not. */
    public static final int DEFAULT_MAX_KEYS = 4096;
    /** The longest type string: 64 characters of {@code [A-Za-z0-9_.:-]}. */
    public static final int MAX_TYPE_LENGTH = 64;

    /** The defaults of DESIGN section 6. */
    public static final MessageLimits DEFAULT = new MessageLimits(
            DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_BATCH_ENTRIES, DEFAULT_MAX_NUMBER_LENGTH,
            DEFAULT_MAX_KEYS);

    /**
     * Checks that every limit is positive.
     *
     * @param maxFrameBytes   the largest frame accepted, in UTF-8 bytes ({@link ErrorCode#MESSAGE_TOO_LARGE})
     * @param maxNestingDepth the deepest JSON nesting accepted ({@link ErrorCode#NESTING_TOO_DEEP})
     * @param maxBatchEntries the most entries in a {@code batch} message or a JSON-RPC batch
     *                        ({@link ErrorCode#BATCH_TOO_LARGE})
     * @param maxNumberLength the longest JSON number literal accepted, in characters
     *                        ({@link ErrorCode#MESSAGE_TOO_LARGE})
     * @param maxKeys         the most object keys in one frame, counted at every depth
     *                        ({@link ErrorCode#TOO_MANY_KEYS}): bounds what a hash-flooding frame can cost
     * @throws IllegalArgumentException if a limit is not positive
     */
    public MessageLimits {
        requirePositive("maxFrameBytes", maxFrameBytes);
        requirePositive("maxNestingDepth", maxNestingDepth);
        requirePositive("maxBatchEntries", maxBatchEntries);
        requirePositive("maxNumberLength", maxNumberLength);
        requirePositive("maxKeys", maxKeys);
    }

    /**
     * Bounds how many object keys one frame may hold.
     *
     * @param value the most object keys in one frame, at every depth; {@code > 0}
     * @return a copy with another bound on object keys per frame
     * @throws IllegalArgumentException when value is not positive
     */
    public MessageLimits withMaxKeys(int value) {
        return new MessageLimits(maxFrameBytes, maxNestingDepth, maxBatchEntries, maxNumberLength, value);
    }

    /**
     * Bounds the size of one frame.
     *
     * @param value the largest frame accepted, in UTF-8 bytes; {@code > 0}
     * @return a copy with another frame limit
     * @throws IllegalArgumentException when value is not positive
     */
    public MessageLimits withMaxFrameBytes(int value) {
        return new MessageLimits(value, maxNestingDepth, maxBatchEntries, maxNumberLength, maxKeys);
    }

    /**
     * Bounds how deeply a frame's JSON may nest.
     *
     * @param value the deepest JSON nesting accepted; {@code > 0}
     * @return a copy with another nesting limit
     * @throws IllegalArgumentException when value is not positive
     */
    public MessageLimits withMaxNestingDepth(int value) {
        return new MessageLimits(maxFrameBytes, value, maxBatchEntries, maxNumberLength, maxKeys);
    }

    /**
     * Bounds how many entries a batch may hold.
     *
     * @param value the most entries in a batch; {@code > 0}
     * @return a copy with another batch limit
     * @throws IllegalArgumentException when value is not positive
     */
    public MessageLimits withMaxBatchEntries(int value) {
        return new MessageLimits(maxFrameBytes, maxNestingDepth, value, maxNumberLength, maxKeys);
    }

    /**
     * Bounds how long a JSON number literal may be.
     *
     * @param value the longest JSON number literal accepted, in characters; {@code > 0}
     * @return a copy with another number-length limit
     * @throws IllegalArgumentException when value is not positive
     */
    public MessageLimits withMaxNumberLength(int value) {
        return new MessageLimits(maxFrameBytes, maxNestingDepth, maxBatchEntries, value, maxKeys);
    }

    static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0 but was " + value);
        }
    }
}
