package io.wsrouter.core;

import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bytes of every user's history, in one ring of at most {@code capacity} bytes: an event is
 * appended once, at the next free position, and lives until the ring has gone round and written over
 * it. So the memory bound is the ring itself ("oldest out" needs no queue, no per-event object and no
 * upkeep), and the garbage collector sees a few large arrays instead of one object graph per event,
 * which it would otherwise copy again at every young collection while the event is kept.
 *
 * <p>Positions are logical (they only grow): the record at {@code pos} is intact while no append has
 * reserved the byte at {@code pos + capacity}. The ring is made of chunks of at most
 * {@value #CHUNK_BYTES} bytes, allocated when first written, so a quiet router holds only what it used.
 *
 * <p><b>Thread safety:</b> shared by every publisher. Appends reserve their bytes with one atomic add;
 * a reader copies a record out and then {@linkplain #intact validates} it after a fence, as a seqlock
 * reader does, so a record written over by a newer one while it was read is never returned. That alone
 * misses a <em>late</em> writer: one that reserved its bytes, then stalled (preempted) while the ring
 * went a whole lap, and would copy its old record over a newer one's bytes after the newer one was
 * written and validated. So each copy runs per page of {@value #PAGE_BYTES} bytes under that page's
 * stripe lock (one of {@value #STRIPES}; held for the copy of at most one page, never across appends),
 * and a writer that finds itself lapped there skips the copy: of two writers of the same byte, the newer
 * lap always wins. Readers take no lock. The caller publishes a position to readers under its own lock,
 * after the append.
 */
class HistoryLog { // not final: a test makes one whose appends fail

    /** The largest chunk: 1 MiB. */
    static final int CHUNK_BYTES = 1 << 20;
    /** The unit of the write locks: a copy holds one page's stripe lock at a time. */
    static final int PAGE_BYTES = 4096;
    /** Write locks, striped by page: adjacent pages never share one. */
    static final int STRIPES = 64;

    private final long capacity;
    private final int chunkBytes;
    /** {@code capacity - 1} when the capacity is a power of two (the default's is), else -1: a mask, not a division. */
    private final long ringMask;
    /** log2 of {@code chunkBytes} when it is a power of two, else -1. */
    private final int chunkShift;
    private final AtomicReferenceArray<byte[]> chunks;
    /** The end of the bytes reserved so far, since the log was made. */
    private final AtomicLong reserved = new AtomicLong();
    private final Object[] stripes = new Object[STRIPES];

    HistoryLog(long capacity) {
        this(capacity, CHUNK_BYTES);
    }

    /** With a chunk size of its own: tests use small ones to cross chunk boundaries often. */
    HistoryLog(long capacity, int maxChunkBytes) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0 but was " + capacity);
        }
        this.capacity = capacity;
        this.chunkBytes = (int) Math.min(maxChunkBytes, capacity);
        // Every append maps a position to a chunk and an offset in it: with powers of two (the default
        // 64 MiB in 1 MiB chunks) that is a mask and a shift instead of three 64-bit divisions.
        this.ringMask = Long.bitCount(capacity) == 1 ? capacity - 1 : -1;
        this.chunkShift = Integer.bitCount(chunkBytes) == 1 ? Integer.numberOfTrailingZeros(chunkBytes) : -1;
        this.chunks = new AtomicReferenceArray<>((int) ((capacity + chunkBytes - 1) / chunkBytes));
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Appends one record.
     *
     * @return its position, or -1 when it is larger than the whole log (kept nowhere)
     */
    long append(byte[] record) {
        long pos = reserve(record.length);
        if (pos >= 0) {
            write(pos, record, null);
        }
        return pos;
    }

    /** The first half of an append: the record's bytes, or -1 when it is larger than the whole log. */
    long reserve(int length) {
        return length > capacity ? -1 : reserved.getAndAdd(length);
    }

    /**
     * The second half of an append: copies a reserved record in, page by page, each under its stripe
     * lock, skipping the rest once the ring has gone a lap past it (a newer record owns those bytes,
     * and this one no longer validates).
     *
     * @param pos    where {@link #reserve} put it
     * @param bytes  the record, or null when {@code ascii} is given
     * @param ascii  the record as US-ASCII characters, when {@code bytes} is null
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII, which is all it gets
    void write(long pos, byte[] bytes, String ascii) {
        int length = bytes != null ? bytes.length : ascii.length();
        int done = 0;
        while (done < length) {
            long ring = ring(pos + done);
            byte[] chunk = chunk(chunkIndex(ring));
            int from = chunkOffset(ring);
            int n = Math.min(Math.min(length - done, chunk.length - from), PAGE_BYTES - (int) (ring % PAGE_BYTES));
            synchronized (stripes[(int) ((ring / PAGE_BYTES) % STRIPES)]) {
                if (reserved.get() - pos > capacity) {
                    return; // lapped while stalled: these bytes belong to a newer record now
                }
                if (bytes != null) {
                    System.arraycopy(bytes, done, chunk, from, n);
                } else {
                    ascii.getBytes(done, done + n, chunk, from);
                }
            }
            done += n;
        }
    }

    /**
     * Appends one record given as a {@code String} of US-ASCII characters only (so that its UTF-8
     * bytes are its characters): copied straight from the string into the ring, with no byte array in
     * between.
     *
     * @param ascii characters below {@code 0x80} only; the caller checks it (others would be cut to
     *              their low byte)
     * @return its position, or -1 when it is larger than the whole log (kept nowhere)
     */
    long appendAscii(String ascii) {
        long pos = reserve(ascii.length());
        if (pos >= 0) {
            write(pos, null, ascii);
        }
        return pos;
    }

    /**
     * Copies a record out, unvalidated: call {@link #intact(long)} on the oldest record read, after
     * the copies, before trusting any of them.
     */
    byte[] read(long pos, int length) {
        byte[] record = new byte[length];
        int done = 0;
        while (done < length) {
            long ring = ring(pos + done);
            byte[] chunk = chunk(chunkIndex(ring));
            int from = chunkOffset(ring);
            int n = Math.min(length - done, chunk.length - from);
            System.arraycopy(chunk, from, record, done, n);
            done += n;
        }
        return record;
    }

    /**
     * Decodes a UTF-8 record, unvalidated, as {@link #read}: straight from its chunk when it lies in
     * one (the usual case: one copy), else through {@link #read}. A record written over meanwhile
     * decodes to some string (malformed bytes are replaced, never thrown), which the caller's
     * {@link #intact(long)} check then discards.
     */
    String readString(long pos, int length) {
        long ring = ring(pos);
        int index = chunkIndex(ring);
        int from = chunkOffset(ring);
        byte[] chunk = chunks.get(index);
        if (chunk != null && from + length <= chunk.length) {
            return new String(chunk, from, length, StandardCharsets.UTF_8);
        }
        return new String(read(pos, length), StandardCharsets.UTF_8);
    }

    /**
     * @return whether the record at {@code pos}, and every record appended after it, is still whole;
     *         ordered after the reads that precede it
     */
    boolean intact(long pos) {
        VarHandle.acquireFence(); // the copies above happen before this check, as in StampedLock.validate
        return pos >= 0 && reserved.get() - pos <= capacity;
    }

    /** @return the bytes of the ring in use: what was appended, at most the capacity */
    long bytesInUse() {
        return Math.min(reserved.get(), capacity);
    }

    /** {@return where a logical position lies in the ring} */
    private long ring(long position) {
        return ringMask >= 0 ? position & ringMask : position % capacity;
    }

    private int chunkIndex(long ring) {
        return chunkShift >= 0 ? (int) (ring >>> chunkShift) : (int) (ring / chunkBytes);
    }

    private int chunkOffset(long ring) {
        return chunkShift >= 0 ? (int) ring & (chunkBytes - 1) : (int) (ring % chunkBytes);
    }

    private byte[] chunk(int index) {
        byte[] chunk = chunks.get(index);
        if (chunk == null) {
            int size = (int) Math.min(chunkBytes, capacity - (long) index * chunkBytes);
            chunks.compareAndSet(index, null, new byte[size]);
            chunk = chunks.get(index);
        }
        return chunk;
    }
}
