package io.wsrouter.events;

import io.wsrouter.core.Admission;
import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.RemovalReason;
import io.wsrouter.core.DeliveryObserver;
import io.wsrouter.core.DeliveryOutcome;
import io.wsrouter.core.DeliveryStatistics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectionPool}: two concurrent maps, connection id to {@link PooledConnection} and
 * user id to an immutable array of that user's open connections (oldest first).
 *
 * <p>Why this shape: registration and removal replace a user's array inside {@code users.compute},
 * which locks that user's bin only, so the per-user limit and the "one id, one owner" rule are
 * decided atomically without a global lock. {@link #sendToUser} and {@link #connectionsOf} walk the
 * tiny array under the same bin lock (queueing only: the sends happen after it is released), so they
 * see one state of the user's connections: never a registration half done, never an array read
 * before a swap and connections checked after it (found by {@code PoolLinearizabilityTest}).
 * {@link #sendToConnection}, {@link #ownerOf} and the {@link #admit} of a known connection read the
 * id map without that lock. Lock order, to stay deadlock-free: a user's bin, then a connection's
 * monitor, then a bin of the id map; nothing takes them the other way round, and no host code (the
 * manager, listeners) runs under a bin lock.
 */
final class DefaultConnectionPool implements ConnectionPool {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultConnectionPool.class);
    /** Removal lines logged per window at most (see {@link BoundedLog}). */
    static final int REMOVAL_LOG_LIMIT = 10;
    /** The window of {@link #REMOVAL_LOG_LIMIT}: 10 s. */
    static final long REMOVAL_LOG_WINDOW_MILLIS = 10_000;
    private static final PooledConnection[] NONE = new PooledConnection[0];

    private enum Removal {
        UNREGISTERED(false, RemovalReason.UNREGISTERED), EXPIRED(false, RemovalReason.IDLE),
        FAILING(true, RemovalReason.FAILING), SLOW(true, RemovalReason.SLOW), POOL_CLOSED(true, RemovalReason.SHUTDOWN);

        final boolean force;
        final RemovalReason reason;

        Removal(boolean force, RemovalReason reason) {
            this.force = force;
            this.reason = reason;
        }
    }

    final WebSocketManager manager;
    final int maxQueuedFrames;
    final long maxQueuedBytes;
    final OverflowPolicy overflowPolicy;
    final int maxConsecutiveFailures;
    private final int maxConnectionsPerUser;
    private final long idleTimeoutMillis;
    private final Duration idleTimeout;
    private final long drainTimeoutMillis;
    private final Clock clock;

    /** Every connection that holds its id: open ones, and closed ones still draining. */
    private final ConcurrentHashMap<String, PooledConnection> connections = new ConcurrentHashMap<>();
    /** Each user's open connections, oldest first; never an empty array. */
    private final ConcurrentHashMap<String, PooledConnection[]> users = new ConcurrentHashMap<>();
    private final LongAdder open = new LongAdder();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final Future<?> sweep;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final BoundedLog removalLog;

    final ObservedCounter framesSent = new ObservedCounter(DeliveryOutcome.SENT);
    final ObservedCounter framesDropped = new ObservedCounter(DeliveryOutcome.DROPPED);
    final ObservedCounter sendFailures = new ObservedCounter(DeliveryOutcome.FAILED);
    final LongAdder framesQueued = new LongAdder();
    private final LongAdder closedSlow = new LongAdder();
    private final LongAdder closedFailing = new LongAdder();
    private final LongAdder expired = new LongAdder();

    DefaultConnectionPool(ConnectionPool.Builder b) {
        this.manager = b.manager;
        this.maxQueuedFrames = b.maxQueuedFrames;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.overflowPolicy = b.overflowPolicy;
        this.maxConsecutiveFailures = b.maxConsecutiveFailures;
        this.maxConnectionsPerUser = b.maxConnectionsPerUser;
        this.idleTimeoutMillis = Math.max(1, saturatedMillis(b.idleTimeout));
        this.idleTimeout = b.idleTimeout;
        this.drainTimeoutMillis = Math.max(1, saturatedMillis(b.drainTimeout));
        this.clock = b.clock;
        this.removalLog = new BoundedLog(LOG, "removed connections", REMOVAL_LOG_LIMIT, REMOVAL_LOG_WINDOW_MILLIS, clock::millis);
        // Last: the sweep may run on the scheduler's thread as soon as it is scheduled.
        this.sweep = b.sweepScheduler.schedule(this, Math.max(1, saturatedMillis(b.sweepInterval)));
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // ------------------------------------------------------------------ ownership

    @Override
    public Admission admit(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        if (closed.get()) {
            return Admission.CLOSED;
        }
        PooledConnection c = connections.get(connectionId);
        if (c != null) {
            if (!c.userId.equals(userId)) {
                return Admission.FORBIDDEN;   // also while its closed queue still drains
            }
            if (c.isOpen()) {
                c.touch(clock.millis());
                return Admission.OWNED;
            }
        }
        return register(userId, connectionId);
    }

    /** The slow path of {@link #admit}: decided under the user's entry lock. */
    private Admission register(String userId, String connectionId) {
        long now = clock.millis();
        Object[] result = new Object[2];   // [Admission, the connection registered]
        users.compute(userId, (key, current) -> {
            PooledConnection[] mine = current == null ? NONE : current;
            while (true) {
                PooledConnection existing = connections.get(connectionId);
                if (existing != null) {
                    if (!existing.userId.equals(key)) {
                        result[0] = Admission.FORBIDDEN;
                        return current;
                    }
                    if (existing.isOpen()) {
                        existing.touch(now);
                        result[0] = Admission.OWNED;
                        return current;
                    }
                    if (existing.heldByForce()) {
                        // Removed by force, its last send still in flight: refused to its own user too,
                        // so that no second writer starts for the id (and a peer removed for being slow
                        // cannot re-register itself with its next inbound frame before it is aborted).
                        result[0] = Admission.FORBIDDEN;
                        return current;
                    }
                }
                if (mine.length >= maxConnectionsPerUser) {
                    result[0] = Admission.LIMIT_REACHED;
                    return current;
                }
                PooledConnection admitted;
                if (existing != null) {
                    // Its queue is still draining: the same user takes it back, so one writer per id.
                    if (!existing.reopen(now)) {
                        continue;   // it just left the map
                    }
                    admitted = existing;
                } else {
                    // Share the key instance the map already holds for this user.
                    String owner = mine.length > 0 ? mine[0].userId : key;
                    admitted = new PooledConnection(this, owner, connectionId, now);
                    if (connections.putIfAbsent(connectionId, admitted) != null) {
                        continue;   // another user won the race; decide again
                    }
                }
                result[0] = Admission.REGISTERED;
                result[1] = admitted;
                PooledConnection[] next = new PooledConnection[mine.length + 1];
                System.arraycopy(mine, 0, next, 0, mine.length);
                next[mine.length] = admitted;
                return next;
            }
        });
        Admission admission = (Admission) result[0];
        if (admission == Admission.REGISTERED) {
            open.increment();
            if (closed.get()) {
                // close() may have swept the maps before this registration landed.
                remove((PooledConnection) result[1], Removal.POOL_CLOSED);
                return Admission.CLOSED;
            }
        }
        return admission;
    }

    @Override
    public boolean unregister(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        PooledConnection c = connections.get(connectionId);
        return c != null && remove(c, Removal.UNREGISTERED);
    }

    @Override
    public boolean unregister(String userId, String connectionId) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        PooledConnection c = connections.get(connectionId);
        return c != null && c.userId.equals(userId) && remove(c, Removal.UNREGISTERED);
    }

    @Override
    public Optional<String> ownerOf(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        PooledConnection c = connections.get(connectionId);
        return c != null && c.isOpen() ? Optional.of(c.userId) : Optional.empty();
    }

    @Override
    public List<String> connectionsOf(String userId) {
        Objects.requireNonNull(userId, "userId");
        // Read under the user's entry lock: registrations and removals of this user change the
        // connections and the array together under it, so what is read is one state of both. (Not
        // users.get(): it does not wait for the user's first registration in progress, which has
        // already made the id visible to ownerOf and sendToConnection.)
        List<String> ids = new ArrayList<>();
        users.computeIfPresent(userId, (key, mine) -> {
            for (PooledConnection c : mine) {
                ids.add(c.id);
            }
            return mine;
        });
        return Collections.unmodifiableList(ids);
    }

    @Override
    public int activeConnections() {
        return (int) Math.max(0, open.sum());   // a registration counts just after its entry is visible
    }

    @Override
    public int connectedUsers() {
        return users.size();
    }

    // ------------------------------------------------------------------ delivery

    @Override
    public boolean sendToConnection(String userId, String connectionId, String frame) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(frame, "frame");
        PooledConnection c = connections.get(connectionId);
        return c != null && c.userId.equals(userId) && c.offer(frame);
    }

    @Override
    public Map<String, Integer> connectionCounts() {
        Map<String, Integer> counts = new HashMap<>();
        users.forEach((user, mine) -> {
            int open = 0;
            for (PooledConnection c : mine) {
                if (c.isOpen()) {
                    open++;
                }
            }
            if (open > 0) {
                counts.put(user, open);
            }
        });
        return counts;
    }

    @Override
    public int sendToUser(String userId, String frame) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(frame, "frame");
        int size = -1;
        PooledConnection[] seen = users.get(userId);
        if (seen != null) {
            for (PooledConnection c : seen) {
                if (c.writingHint()) {
                    size = FrameQueue.utf8Length(frame);   // it will probably wait somewhere: size it unlocked
                    break;
                }
            }
        }
        // Queue the frame on every connection under the user's entry lock, so that it reaches exactly
        // the connections the user has at one instant (a registration or removal of this user in
        // progress is either wholly before or wholly after); send and handle overflows after it.
        Fanout fanout = new Fanout(frame, size);
        users.computeIfPresent(userId, fanout);
        return fanout.finish();
    }

    /** One {@link #sendToUser}: the locked enqueue on each connection, then the unlocked sends. */
    private static final class Fanout implements BiFunction<String, PooledConnection[], PooledConnection[]> {
        private final String frame;
        private final int size;
        private PooledConnection[] targets = NONE;
        private int[] outcomes;

        Fanout(String frame, int size) {
            this.frame = frame;
            this.size = size;
        }

        @Override
        public PooledConnection[] apply(String userId, PooledConnection[] mine) {
            int[] o = new int[mine.length];
            for (int i = 0; i < mine.length; i++) {
                o[i] = mine[i].enqueue(frame, size);
            }
            targets = mine;
            outcomes = o;
            return mine;
        }

        /**
         * Sends where this call became the writer. Every connection is finished even when one
         * throws (a fatal error from the manager, a listener failing): one that was made to wait
         * for this writer would otherwise never send again. The first throwable is rethrown after.
         */
        int finish() {
            int accepted = 0;
            Throwable failure = null;
            for (int i = 0; i < targets.length; i++) {
                try {
                    if (targets[i].finish(outcomes[i], frame)) {
                        accepted++;
                    }
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    } else if (failure != e) {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);   // a checked exception thrown sneakily
            }
            return accepted;
        }
    }

    @Override
    public void observeDelivery(DeliveryObserver observer) {
        Objects.requireNonNull(observer, "observer");
        framesSent.observe(observer);
        framesDropped.observe(observer);
        sendFailures.observe(observer);
    }

    @Override
    public Duration idleTimeout() {
        return idleTimeout;
    }

    @Override
    public DeliveryStatistics deliveryStatistics() {
        return new DeliveryStatistics(framesSent.sum(), framesDropped.sum(), sendFailures.sum(),
                closedSlow.sum(), closedFailing.sum(), expired.sum(), Math.max(0, framesQueued.sum()));
    }

    // ------------------------------------------------------------------ removal

    @Override
    public int expireIdle() {
        if (closed.get()) {
            return 0;
        }
        long now = clock.millis();
        long cutoff = now - idleTimeoutMillis;
        long drainCutoff = now - drainTimeoutMillis;
        int removed = 0;
        for (PooledConnection c : connections.values()) {
            if (c.isOpen()) {
                if (c.lastActivity() < cutoff && remove(c, Removal.EXPIRED)) {
                    removed++;
                }
            } else if (c.lastActivity() < drainCutoff && c.giveUp()) {
                // Closed (its close time is its last activity) and still holding its id past the
                // deadline: a peer that stopped reading must not pin its queue, nor a stage the
                // transport never completes the id, forever.
                removalLog.warn("released connection {} of user {}: its send was still in flight {} ms after its removal"
                        + " (the transport never completed the stage)", c.id, c.userId, drainTimeoutMillis);
            }
        }
        if (removed > 0) {
            LOG.debug("expired {} idle connections", removed);
        }
        return removed;
    }

    /**
     * One run of the scheduled sweep.
     *
     * @return false when the pool is closed: the schedule stops
     */
    boolean sweep() {
        if (closed.get()) {
            return false;
        }
        try {
            expireIdle();
        } catch (RuntimeException e) {
            // Keep the schedule alive: a failing sweep must not stop every later one.
            removalLog.warn("idle sweep failed", e);
        }
        return true;
    }

    boolean closeSlow(PooledConnection c) {
        if (remove(c, Removal.SLOW)) {
            removalLog.warn("removed connection {} of user {}: its outbound queue overflowed", c.id, c.userId);
            return true;
        }
        return false;
    }

    boolean closeFailing(PooledConnection c) {
        if (remove(c, Removal.FAILING)) {
            removalLog.warn("removed connection {} of user {}: {} sends failed in a row", c.id, c.userId, maxConsecutiveFailures);
            return true;
        }
        return false;
    }

    /**
     * Test hook: removes the connection by force, exactly as an overflow ({@link RemovalReason#SLOW})
     * or failing sends ({@link RemovalReason#FAILING}) would, whatever its queue holds.
     *
     * @return whether this call removed it
     * @throws IllegalArgumentException for another reason
     */
    boolean removeByForce(String connectionId, RemovalReason reason) {
        PooledConnection c = connections.get(connectionId);
        return switch (reason) {
            case SLOW -> c != null && closeSlow(c);
            case FAILING -> c != null && closeFailing(c);
            default -> throw new IllegalArgumentException("not a forced removal: " + reason);
        };
    }

    /** Called by a connection, under its monitor, when it gives up its id. */
    void detached(PooledConnection c) {
        connections.remove(c.id, c);
    }

    /**
     * Closes the connection and takes it out of its user's array, atomically with respect to
     * registrations of that user; then counts and tells the listeners.
     *
     * @return whether this call closed it
     */
    private boolean remove(PooledConnection c, Removal why) {
        boolean[] wasOpen = new boolean[1];
        long now = clock.millis();
        // Always under the user's entry lock (compute, not computeIfPresent: a connection closed
        // before and still draining is in no array), so that a close never races a reopen.
        users.compute(c.userId, (key, mine) -> {
            wasOpen[0] = c.close(why.force, now);
            return mine == null ? null : without(mine, c);
        });
        if (!wasOpen[0]) {
            return false;   // closed before (a forced close still stopped its drain)
        }
        open.decrement();
        switch (why) {
            case EXPIRED -> expired.increment();
            case SLOW -> closedSlow.increment();
            case FAILING -> closedFailing.increment();
            default -> {
            }
        }
        for (ConnectionListener listener : listeners) {
            try {
                listener.connectionClosed(c.userId, c.id, why.reason);
            } catch (RuntimeException e) {
                removalLog.warn("connection listener {} failed for connection {}", listener, c.id, e);
            }
        }
        return true;
    }

    private static PooledConnection[] without(PooledConnection[] mine, PooledConnection c) {
        int at = -1;
        for (int i = 0; i < mine.length; i++) {
            if (mine[i] == c) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return mine;
        }
        if (mine.length == 1) {
            return null;   // the user has no connection left: drop the entry
        }
        PooledConnection[] next = new PooledConnection[mine.length - 1];
        System.arraycopy(mine, 0, next, 0, at);
        System.arraycopy(mine, at + 1, next, at, mine.length - at - 1);
        return next;
    }

    // ------------------------------------------------------------------ listeners and closing

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // The shared thread is not ours to stop or wait for; a sweep of this pool running right now
        // finds it closed and removes nothing more (each connection is removed once, for one reason).
        sweep.cancel(false);
        for (PooledConnection c : connections.values()) {
            remove(c, Removal.POOL_CLOSED);
        }
    }

    @Override
    public String toString() {
        return "ConnectionPool[connections=" + activeConnections() + ", users=" + connectedUsers()
                + (closed.get() ? ", closed" : "") + "]";
    }
}
