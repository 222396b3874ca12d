package io.wsrouter.core;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The single-node broker: one {@link Stream} per user, made by the user's first event or first resume
 * while they are connected, or when their last connection leaves (so a reconnecting tab finds what it
 * missed), dropped {@code historyTtl} after their last connection left. Each stream is locked on its own
 * (publish, resume and trimming of one user never wait for another user). A connection costs the
 * broker nothing: streams are per user and made only by events, resumes or departures.
 *
 * <p>Memory: the frames of every user's history live in one {@link HistoryLog}, a ring of at most
 * {@code maxHistoryBytes} that writes over its oldest bytes first; a stream keeps only the position
 * and length of its last {@code historySize} events (16 bytes each). An event written over by the ring
 * is evicted: its stream notices at its next publish, resume, drop or sweep (publishes sweep a few
 * streams each, round the map), counts it and forgets it, and a resume that needs it answers
 * {@code recovered:false}. No object is kept per event, so keeping
 * history costs the garbage collector nothing per event.
 */
final class InMemoryBroker implements Broker {

    /** One publish in this many, on average, also sweeps a few streams' evicted entries. */
    private static final int SWEEP_EVERY = 64;
    /** The streams a sweep looks at: with {@link #SWEEP_EVERY}, one stream per 8 publishes. */
    private static final int SWEEP_STREAMS = 8;

    private final int historySize;
    private final long ttlMillis;
    private final Clock clock;
    private final HistoryLog log;

    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    /**
     * Streams whose last connection left, to drop when their TTL has passed: at most one entry per
     * stream ({@link Stream#queued}), in the order they were queued.
     */
    private final ConcurrentLinkedQueue<Idle> idle = new ConcurrentLinkedQueue<>();
    private final ReentrantLock upkeep = new ReentrantLock();
    /** Where the sweep of evicted entries goes on from; guarded by {@link #upkeep}. */
    private Iterator<Stream> sweepCursor;

    private final LongAdder published = new LongAdder();
    private final LongAdder unrouted = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder notRecovered = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    /** Events in the streams' indexes (some may have been written over since their stream was last touched). */
    private final LongAdder held = new LongAdder();

    private volatile Outlet outlet;
    private volatile boolean closed;

    InMemoryBroker(InMemoryBuilder b) {
        this(b, new HistoryLog(b.maxHistoryBytes));
    }

    /** With a log of the caller's: tests make one that fails. */
    InMemoryBroker(InMemoryBuilder b, HistoryLog log) {
        this.historySize = b.historySize;
        this.ttlMillis = b.historyTtl.toMillis();
        this.clock = b.clock;
        this.log = log;
    }

    @Override
    public void bind(Outlet value) {
        Objects.requireNonNull(value, "outlet");
        synchronized (this) {
            if (outlet != null) {
                throw new IllegalStateException("this broker is bound to a router already: a broker serves one router");
            }
            outlet = value;
        }
    }

    @Override
    public int publish(String userId, String frame) {
        Objects.requireNonNull(userId, "userId");
        FrameBuffer buffer = FrameBuffer.of(frame);
        try {
            return publish(userId, buffer);
        } finally {
            buffer.release();
        }
    }

    /** {@link #publish(String, String)} for a frame the router serialized: stamped in place, one {@code String}. */
    int publish(String userId, FrameBuffer frame) {
        Objects.requireNonNull(userId, "userId");
        Outlet out = outlet;
        if (out == null || closed) {
            return 0;
        }
        if (idle.peek() != null) {
            upkeep(clock.millis());
        }
        if (ThreadLocalRandom.current().nextInt(SWEEP_EVERY) == 0) {
            sweepEvicted(SWEEP_STREAMS);
        }
        int delivered;
        Stream s = streams.get(userId);
        while (true) {
            if (s == null) {
                if (!out.isConnected(userId)) {
                    unrouted.increment(); // not connected here, not recently: nobody to reach, nothing to keep
                    return 0;
                }
                s = streams.computeIfAbsent(userId, Stream::new);
            }
            synchronized (s) {
                if (!s.dead) {
                    delivered = append(s, frame, out);
                    break;
                }
            }
            streams.remove(userId, s); // dropped by the TTL sweep meanwhile: a fresh stream, a new epoch
            s = null;
        }
        published.increment();
        return delivered;
    }

    /**
     * Sequences, keeps and delivers one event. Under the stream's lock. Every step that can fail (a frame
     * that is not a JSON object; an {@link OutOfMemoryError} on a huge frame, a new chunk of the log or a
     * larger index) comes before the offset is taken, so that a failed event leaves no gap and the index
     * always holds exactly the offsets {@code offset - count + 1 .. offset}: a resume counts on it.
     */
    private int append(Stream s, FrameBuffer frame, Outlet out) {
        long offset = s.offset + 1;
        String stamped = frame.stamped(offset, s.epoch);
        long position;
        int length;
        if (frame.stampedIsAscii()) {
            position = log.appendAscii(stamped); // no byte array in between: ASCII is its own UTF-8
            length = stamped.length();
        } else {
            byte[] bytes = stamped.getBytes(StandardCharsets.UTF_8);
            position = log.append(bytes);
            length = bytes.length;
        }
        forgetEvicted(s);
        boolean full = s.count == historySize;
        if (full) {
            s.removeOldest(); // the per-user size bound: one out, one in, so the count held stays
        }
        s.add(position, length, historySize); // grows (and may fail) only when not full, before any change
        if (!full) {
            held.increment();
        }
        s.offset = offset;
        return out.sendToUser(s.userId, stamped);
    }

    @Override
    public ResumeResult resume(String userId, String connectionId, String epoch, long offset,
                               Function<ResumeResult, String> resultFrame) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(resultFrame, "resultFrame");
        Outlet out = outlet;
        Stream s = streams.get(userId);
        if (s == null && out != null && !closed && out.isConnected(userId)) {
            // A connected user with no event yet: start the stream now, so that the answer gives its
            // epoch (a page that has seen nothing learns it) and is ordered before its first event.
            s = streams.computeIfAbsent(userId, Stream::new);
        }
        if (out == null || closed || s == null) {
            // No stream: the user has no connection this broker knows of; nothing to replay.
            notRecovered.increment();
            ResumeResult result = new ResumeResult(false, 0, "", 0);
            if (out != null) {
                out.sendToConnection(userId, connectionId, resultFrame.apply(result));
            }
            return result;
        }
        ResumeResult result;
        synchronized (s) {
            forgetEvicted(s);
            boolean ok = !s.dead && epoch.equals(s.epoch) && offset >= 0 && offset <= s.offset;
            List<String> replay = List.of();
            if (ok && offset < s.offset) {
                replay = framesAfter(s, offset); // null: part of it is gone
                ok = replay != null;
            }
            int sent = 0;
            if (ok) {
                for (String frame : replay) {
                    out.sendToConnection(userId, connectionId, frame);
                    sent++;
                }
            }
            result = new ResumeResult(ok, sent, s.epoch, s.offset);
            out.sendToConnection(userId, connectionId, resultFrame.apply(result));
        }
        if (result.recovered()) {
            recovered.increment();
            replayed.add(result.replayed());
        } else {
            notRecovered.increment();
        }
        return result;
    }

    @Override
    public void connectionOpened(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        // Nothing to do: a stream is made by the user's first event (a connection costs nothing here),
        // and the TTL sweep never drops the stream of a user who is connected.
    }

    @Override
    public void connectionClosed(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        Outlet out = outlet;
        if (closed || out == null || out.isConnected(userId)) {
            return;
        }
        // The user's last connection left: keep (or start) the stream for the TTL, so the events of a
        // tab that is reconnecting are there for its resume.
        long now = clock.millis();
        while (true) {
            Stream s = streams.computeIfAbsent(userId, Stream::new);
            synchronized (s) {
                if (!s.dead) {
                    s.lastLeft = now;
                    if (!s.queued) { // one entry per stream: a user who reconnects over and over adds none
                        s.queued = true;
                        idle.add(new Idle(s, now));
                    }
                    break;
                }
            }
            streams.remove(userId, s);
        }
        upkeep(now);
    }

    @Override
    public BrokerStatistics statistics() {
        return new BrokerStatistics(published.sum(), unrouted.sum(), recovered.sum(), notRecovered.sum(),
                replayed.sum(), evicted.sum(), held.sum(), log.bytesInUse(), streams.size(), 0, 0);
    }

    @Override
    public void close() {
        closed = true;
        upkeep.lock();
        try {
            for (Stream s : streams.values()) {
                synchronized (s) {
                    drop(s);
                }
            }
            streams.clear();
            idle.clear();
        } finally {
            upkeep.unlock();
        }
    }

    /**
     * @return the frames of the events after {@code offset}, in order, read from the log and then
     *         validated (the ring may write over them meanwhile); null when one of them is no longer in
     *         history. Under the stream's lock.
     */
    private List<String> framesAfter(Stream s, long offset) {
        long missed = s.offset - offset;
        if (missed > s.count) {
            return null;
        }
        int n = (int) missed;
        List<String> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int slot = s.slot(s.count - n + i);
            if (s.position(slot) < 0) {
                return null;
            }
            frames.add(log.readString(s.position(slot), s.length(slot)));
        }
        if (n > 0 && !log.intact(s.position(s.slot(s.count - n)))) {
            return null;
        }
        return frames;
    }

    /** Forgets the oldest events the log wrote over (positions only grow, so they lead). Under the stream's lock. */
    private void forgetEvicted(Stream s) {
        while (s.count > 0 && !log.intact(s.position(s.head))) {
            s.removeOldest();
            held.decrement();
            evicted.increment();
        }
    }

    /** Marks a stream dead and forgets its history. Under the stream's lock. */
    private void drop(Stream s) {
        s.dead = true;
        forgetEvicted(s); // written over before the TTL would have dropped them: evicted
        held.add(-s.count);
        s.clear();
    }

    /**
     * Forgets the evicted entries of the next {@code count} streams, round the map, and shrinks their
     * indexes: without it a user who gets no more events would keep an entry (16 bytes) for every event
     * the log wrote over, up to {@code historySize}, and {@link BrokerStatistics#historyEvents()} would
     * count them. Skipped when another thread holds the upkeep lock. Never called under a stream's lock.
     */
    void sweepEvicted(int count) {
        if (!upkeep.tryLock()) {
            return;
        }
        try {
            for (int i = 0; i < count; i++) {
                if (sweepCursor == null || !sweepCursor.hasNext()) {
                    sweepCursor = streams.values().iterator(); // weakly consistent: never throws, sees new streams
                    if (!sweepCursor.hasNext()) {
                        return;
                    }
                }
                Stream s = sweepCursor.next();
                synchronized (s) {
                    if (!s.dead) {
                        forgetEvicted(s);
                        s.shrink();
                    }
                }
            }
        } finally {
            upkeep.unlock();
        }
    }

    /** Expired streams out; skipped when another thread is at it (it does the same work). */
    private void upkeep(long now) {
        if (!upkeep.tryLock()) {
            return;
        }
        try {
            dropExpiredStreams(now);
        } finally {
            upkeep.unlock();
        }
    }

    private void dropExpiredStreams(long now) {
        Outlet out = outlet;
        Idle head;
        while ((head = idle.peek()) != null && head.since + ttlMillis <= now) {
            idle.poll();
            Stream s = head.stream;
            synchronized (s) {
                s.queued = false;
                if (s.dead || (out != null && out.isConnected(s.userId))) {
                    continue; // back: its next departure queues it again
                }
                if (s.lastLeft + ttlMillis <= now) {
                    drop(s);
                    streams.remove(s.userId, s);
                } else {
                    s.queued = true; // left again since it was queued: wait for that departure's TTL
                    idle.add(new Idle(s, s.lastLeft));
                }
            }
        }
    }

    /** For tests: the slots of every stream's index. */
    long indexSlots() {
        long slots = 0;
        for (Stream s : streams.values()) {
            synchronized (s) {
                slots += s.slots();
            }
        }
        return slots;
    }

    /** For tests: the entries of the idle queue. */
    int idleEntries() {
        return idle.size();
    }

    /** For tests: the users with a stream now. */
    List<String> userIds() {
        return new ArrayList<>(streams.keySet());
    }

    /** For tests: the events in a user's index, whole or not. */
    long heldEventsOf(String userId) {
        Stream s = streams.get(userId);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            return s.count;
        }
    }

    /**
     * One user's stream: its epoch, its last offset, and the log position and length of each of its
     * last events, in one ring that grows to {@code historySize} (one array: one cache line to fetch
     * for a user's few latest events). Guarded by its own monitor.
     */
    static final class Stream {
        private static final long[] NO_ENTRIES = new long[0];
        private static final int INITIAL_SLOTS = 4;

        final String userId;
        final String epoch = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        /** Slot i is {@code [2i]} the log position (-1: not kept, larger than the log), {@code [2i+1]} the length. */
        long[] entries;
        /** The slot of the oldest event kept. */
        int head;
        /** Events kept: offsets {@code offset - count + 1 .. offset}. */
        int count;
        long offset;
        long lastLeft;
        /** Whether the stream has an entry in the idle queue. */
        boolean queued;
        boolean dead;

        Stream(String userId) {
            this.userId = userId;
            // Allocated with the stream, so that it lies next to it in memory: a publish to a user who
            // is not in cache then fetches one region, not two.
            this.entries = new long[2 * INITIAL_SLOTS];
        }

        /** @return the slot of the {@code i}-th event kept, oldest first */
        int slot(int i) {
            int slots = entries.length >> 1;
            int slot = head + i;
            return slot < slots ? slot : slot - slots;
        }

        long position(int slot) {
            return entries[slot << 1];
        }

        int length(int slot) {
            return (int) entries[(slot << 1) + 1];
        }

        void add(long position, int length, int historySize) {
            if (count == entries.length >> 1) {
                grow(historySize);
            }
            int slot = slot(count);
            entries[slot << 1] = position;
            entries[(slot << 1) + 1] = length;
            count++;
        }

        /** Shrinks the ring to twice the events kept (at least 4 slots) when at most a quarter of it is in use. */
        void shrink() {
            if (slots() > INITIAL_SLOTS && count <= slots() / 4) {
                resize(Math.max(INITIAL_SLOTS, 2 * count));
            }
        }

        /** For tests: the slots of the ring. */
        int slots() {
            return entries.length >> 1;
        }

        void removeOldest() {
            head = slot(1);
            count--;
        }

        void clear() {
            entries = NO_ENTRIES;
            head = 0;
            count = 0;
        }

        /** Doubles the ring (from 4 slots, at most {@code historySize}). */
        private void grow(int historySize) {
            resize(Math.min(historySize, Math.max(INITIAL_SLOTS, entries.length)));
        }

        /** A ring of {@code slots} (at least {@link #count}) holding the events kept, oldest first. */
        private void resize(int slots) {
            long[] resized = new long[slots << 1];
            for (int i = 0; i < count; i++) {
                int from = slot(i);
                resized[i << 1] = entries[from << 1];
                resized[(i << 1) + 1] = entries[(from << 1) + 1];
            }
            entries = resized;
            head = 0;
        }
    }

    private record Idle(Stream stream, long since) {
    }
}
