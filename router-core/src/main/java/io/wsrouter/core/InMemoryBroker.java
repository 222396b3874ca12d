package io.wsrouter.core;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Iterator;
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
 * holding {@link #upkeep} (taken with {@code tryLock}, never waited for) consumes it. Events that
 * left their stream earlier (size or age) stay in the FIFO as stale nodes without their frame until
 * the upkeep reaches them, or a compaction drops them when they outnumber the live ones.
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
            entry = new Entry(s, offset, Broker.stamp(frame, offset, s.epoch));
            if (s.history == null) {
                s.history = new ArrayDeque<>(Math.min(historySize, 8));
            }
            s.history.addLast(entry);
            liveEvents.incrementAndGet();
            liveBytes.addAndGet(entry.bytes);
            queued.incrementAndGet();
            order.add(entry);
            trim(s);
            delivered = out.sendToUser(userId, entry.frame);
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
            boolean ok = !s.dead && epoch.equals(s.epoch) && offset >= 0 && offset <= s.offset
                    && (offset == s.offset || (s.history != null && !s.history.isEmpty()
                            && s.history.peekFirst().offset <= offset + 1));
            int sent = 0;
            if (ok && offset < s.offset) {
                for (Entry e : s.history) {
                    if (e.offset > offset) {
                        out.sendToConnection(userId, connectionId, e.frame);
                        sent++;
                    }
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

    /** Drops the events past the per-user size. Under the stream's lock. */
    private void trim(Stream s) {
        while (s.history.size() > historySize) {
            forget(s.history.removeFirst());
        }
    }

    /** The entry left its stream's history: its frame is released, its FIFO node becomes stale. */
    private void forget(Entry e) {
        e.frame = null;
        liveEvents.decrementAndGet();
        liveBytes.addAndGet(-e.bytes);
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
                if (!stale) {
                    synchronized (head.stream) {
                        if (head.frame != null && head.stream.history.peekFirst() == head) {
                            forget(head.stream.history.removeFirst());
                            evicted.increment();
                        }
                    }
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

    int streamCount() {
        return streams.size();
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
