package io.wsrouter.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The single-node broker: one {@link Stream} per user, made by the user's first event while they
 * are connected, or when their last connection leaves (so a reconnecting tab finds what it missed),
 * dropped {@code historyTtl} after their last connection left. Each stream is locked on its own
 * (publish, resume and trimming of one user never wait for another user). A connection costs the
 * broker nothing: streams are per user and made only by events or departures.
 *
 * <p>Memory: each stream keeps at most {@code historySize} events, none older than the TTL; all
 * streams together keep at most {@code maxHistoryBytes}. The global bound needs the oldest event of
 * all users, so every event is also appended to one lock-free FIFO ({@link #order}); only the thread
 * holding {@link #upkeep} (taken with {@code tryLock}, never waited for) consumes it, and evicts
 * without taking any stream's lock: it releases the frame (a CAS, so trimming and eviction count an
 * event once) and the entry leaves its stream's deque at that stream's next trim. Events that left
 * their stream earlier (by size) stay in the FIFO as stale nodes without their frame until the upkeep
 * reaches them, or a compaction drops them when they outnumber the live ones.
 */
final class InMemoryBroker implements Broker {

    /** Estimated bytes of one history entry besides its frame's characters: entry, queue nodes, String header. */
    static final int ENTRY_OVERHEAD = 96;

    private final int historySize;
    private final long ttlMillis;
    private final long maxBytes;
    private final Clock clock;

    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    /** Every event appended to a history, oldest first, plus stale ones (frame == null). */
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();
    /** Streams whose last connection left, oldest first, to drop when their TTL has passed. */
    private final ConcurrentLinkedQueue<Idle> idle = new ConcurrentLinkedQueue<>();
    private final ReentrantLock upkeep = new ReentrantLock();
    /** Nodes in {@link #order}: +1 by publishers, -1 only under {@link #upkeep}. */
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong liveEvents = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();

    private final LongAdder published = new LongAdder();
    private final LongAdder unrouted = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder notRecovered = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder evicted = new LongAdder();

    private volatile Outlet outlet;
    private volatile boolean closed;

    InMemoryBroker(InMemoryBuilder b) {
        this.historySize = b.historySize;
        this.ttlMillis = b.historyTtl.toMillis();
        this.maxBytes = b.maxHistoryBytes;
        this.clock = b.clock;
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
        Objects.requireNonNull(frame, "frame");
        Outlet out = outlet;
        if (out == null || closed) {
            return 0;
        }
        long now = clock.millis();
        upkeep(now);
        Entry entry;
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
                    break;
                }
            }
            streams.remove(userId, s); // dropped by the TTL sweep meanwhile: a fresh stream, a new epoch
            s = null;
        }
        synchronized (s) {
            if (s.dead) {
                unrouted.increment();
                return 0;
            }
            long offset = ++s.offset;
            String stamped = Broker.stamp(frame, offset, s.epoch);
            entry = new Entry(s, offset, stamped);
            if (s.history == null) {
                s.history = new ArrayDeque<>(Math.min(historySize, 8));
            }
            s.history.addLast(entry);
            liveEvents.incrementAndGet();
            liveBytes.addAndGet(entry.bytes);
            queued.incrementAndGet();
            order.add(entry);
            trim(s);
            delivered = out.sendToUser(userId, stamped);
        }
        published.increment();
        if (liveBytes.get() > maxBytes) {
            upkeep(now);
        }
        return delivered;
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
                    idle.add(new Idle(s, now));
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
                replayed.sum(), evicted.sum(), liveEvents.get(), liveBytes.get(), streams.size(), 0, 0);
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
            order.clear();
            idle.clear();
            queued.set(0);
        } finally {
            upkeep.unlock();
        }
    }

    /**
     * @return the frames of the events after {@code offset}, in order, read once (the memory bound may
     *         evict concurrently); null when one of them is no longer in history. Under the stream's lock.
     */
    private static List<String> framesAfter(Stream s, long offset) {
        if (s.history == null || s.history.isEmpty() || s.history.peekFirst().offset > offset + 1) {
            return null;
        }
        List<String> frames = new ArrayList<>((int) (s.offset - offset));
        for (Iterator<Entry> it = s.history.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.offset <= offset) {
                break;
            }
            String frame = e.frame;
            if (frame == null) {
                return null;
            }
            frames.add(frame);
        }
        Collections.reverse(frames);
        return frames;
    }

    /** Drops the events past the per-user size, and the evicted ones at the head. Under the stream's lock. */
    private void trim(Stream s) {
        while (s.history.size() > historySize || (!s.history.isEmpty() && s.history.peekFirst().frame == null)) {
            forget(s.history.removeFirst());
        }
    }

    /**
     * Releases the entry's frame and takes it out of the figures, once (trimming under the stream's lock
     * and eviction without it may race for the same entry); its FIFO node becomes stale.
     *
     * @return whether this call released it
     */
    private boolean forget(Entry e) {
        String frame = e.frame;
        if (frame == null || !FRAME.compareAndSet(e, frame, null)) {
            return false;
        }
        liveEvents.decrementAndGet();
        liveBytes.addAndGet(-e.bytes);
        return true;
    }

    /** Marks a stream dead and forgets its history. Under the stream's lock. */
    private void drop(Stream s) {
        s.dead = true;
        if (s.history != null) {
            while (!s.history.isEmpty()) {
                forget(s.history.removeFirst());
            }
        }
    }

    /**
     * Expired streams out, the memory bound, stale FIFO nodes out. Amortized O(1) per call; skipped
     * when another thread is at it (it does the same work).
     */
    private void upkeep(long now) {
        if (!upkeep.tryLock()) {
            return;
        }
        try {
            dropExpiredStreams(now);
            Entry head;
            while ((head = order.peek()) != null) {
                boolean stale = head.frame == null;
                if (!stale && liveBytes.get() <= maxBytes) {
                    break;
                }
                order.poll();
                queued.decrementAndGet();
                // Evicted without the stream's lock: the frame goes now, the entry leaves its
                // stream's deque at the stream's next trim, and a resume that meets it answers
                // recovered:false.
                if (!stale && forget(head)) {
                    evicted.increment();
                }
            }
            if (queued.get() > 2 * liveEvents.get() + 1024) {
                compact();
            }
        } finally {
            upkeep.unlock();
        }
    }

    /** Removes the stale nodes from the FIFO; the only consumer, under {@link #upkeep}. */
    private void compact() {
        for (Iterator<Entry> it = order.iterator(); it.hasNext(); ) {
            if (it.next().frame == null) {
                it.remove();
                queued.decrementAndGet();
            }
        }
    }

    private void dropExpiredStreams(long now) {
        Outlet out = outlet;
        Idle head;
        while ((head = idle.peek()) != null && head.since + ttlMillis <= now) {
            idle.poll();
            Stream s = head.stream;
            synchronized (s) {
                if (!s.dead && s.lastLeft + ttlMillis <= now && (out == null || !out.isConnected(s.userId))) {
                    drop(s);
                    streams.remove(s.userId, s);
                }
            }
        }
    }

    /** For tests: the users with a stream now. */
    List<String> userIds() {
        return new ArrayList<>(streams.keySet());
    }

    /** For tests: the events of a user's history that still hold their frame. */
    long liveEventsOf(String userId) {
        Stream s = streams.get(userId);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            return s.history == null ? 0 : s.history.stream().filter(e -> e.frame != null).count();
        }
    }

    long queuedNodes() {
        return queued.get();
    }

    /** One user's stream. Guarded by its own monitor. */
    static final class Stream {
        final String userId;
        final String epoch = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        /** Made by the first event: a stream of a user who left without events costs only this object. */
        ArrayDeque<Entry> history;
        long offset;
        long lastLeft;
        boolean dead;

        Stream(String userId) {
            this.userId = userId;
        }
    }

    private static final VarHandle FRAME;

    static {
        try {
            FRAME = MethodHandles.lookup().findVarHandle(Entry.class, "frame", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One event in history; {@code frame} is null once it left the history. */
    static final class Entry {
        final Stream stream;
        final long offset;
        final int bytes;
        volatile String frame;

        Entry(Stream stream, long offset, String frame) {
            this.stream = stream;
            this.offset = offset;
            this.frame = frame;
            this.bytes = frame.length() + ENTRY_OVERHEAD;
        }
    }

    private record Idle(Stream stream, long since) {
    }
}
