package io.wsrouter.events;

/**
 * The frames waiting for one connection, with their UTF-8 sizes: a ring buffer that grows by
 * doubling. Created only when a frame has to wait, and discarded when the queue empties, so an idle
 * connection carries no queue. Not thread-safe: guarded by its {@link PooledConnection}'s monitor.
 */
final class FrameQueue {

    private static final int INITIAL_CAPACITY = 4;

    private String[] frames;
    private int[] sizes;
    private int head;
    private int count;
    private long bytes;

    FrameQueue(int maxFrames) {
        int capacity = Math.min(INITIAL_CAPACITY, maxFrames);
        frames = new String[capacity];
        sizes = new int[capacity];
    }

    int size() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return count == 0;
    }

    void add(String frame, int size) {
        if (count == frames.length) {
            grow();
        }
        int tail = (head + count) % frames.length;
        frames[tail] = frame;
        sizes[tail] = size;
        count++;
        bytes += size;
    }

    /** @return the oldest frame, removed; null when empty */
    String poll() {
        if (count == 0) {
            return null;
        }
        String frame = frames[head];
        frames[head] = null;
        bytes -= sizes[head];
        head = (head + 1) % frames.length;
        count--;
        return frame;
    }

    private void grow() {
        int capacity = frames.length * 2;
        String[] f = new String[capacity];
        int[] s = new int[capacity];
        for (int i = 0; i < count; i++) {
            int j = (head + i) % frames.length;
            f[i] = frames[j];
            s[i] = sizes[j];
        }
        frames = f;
        sizes = s;
        head = 0;
    }

    /** @return the number of bytes the frame takes in UTF-8, without encoding it */
    static int utf8Length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2;   // 4 bytes for the pair of 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }
}
