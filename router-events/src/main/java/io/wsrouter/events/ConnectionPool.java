package io.wsrouter.events;

import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.RemovalReason;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The connections of every user, who owns which, and the ordered, bounded, non-blocking delivery of
 * frames to them through a host-supplied {@link WebSocketManager}. The {@link ConnectionRegistry}
 * that {@code CanonicalMessageRouter.builder().connectionPool(pool)} takes.
 *
 * <p><b>Ownership.</b> A connection id belongs to the user who registered it ({@link #admit}) until it
 * is unregistered or removed. Another user presenting it gets {@link io.wsrouter.core.Admission#FORBIDDEN};
 * {@link #unregister(String, String)} and {@link #sendToConnection} for a connection the user does not
 * own change nothing and return {@code false}. A user holds at most {@code maxConnectionsPerUser}
 * connections ({@link io.wsrouter.core.Admission#LIMIT_REACHED} past it). Registration is atomic: when
 * two users race for one id, exactly one gets it, and the per-user limit holds under races.
 *
 * <p><b>Delivery.</b> Each connection has one outbound queue drained by one writer at a time: at most
 * one {@link WebSocketManager#sendToConnection} is in flight per connection, and frames given to a
 * connection leave in the order they were accepted. The emitting thread only queues the frame, and
 * sends it itself when nobody is sending to that connection; it never waits for a send to complete.
 * A queue holding {@code maxQueuedFrames} frames, or that a frame would take past
 * {@code maxQueuedBytes} (UTF-8), applies the {@link OverflowPolicy} (default
 * {@link OverflowPolicy#CLOSE_CONNECTION}). A send that throws, returns {@code null} or completes
 * exceptionally is counted; after {@code maxConsecutiveFailures} failures in a row the connection is
 * removed. Every frame a connection accepted ends up exactly once as sent, failed or dropped in
 * {@link #deliveryStatistics()}.
 *
 * <p><b>Removal, and what the host does about it.</b> Listeners
 * ({@link #addListener(ConnectionListener)}) are told of every removal, once, with its
 * {@link RemovalReason}. The pool cannot end a socket itself; the host ends it in the listener, by
 * the reason:
 * <ul>
 *   <li>{@link RemovalReason#UNREGISTERED}: {@link #unregister(String)} or
 *       {@link #unregister(String, String)} (the socket closed, or a {@code disconnect} message).
 *       The socket is already closing, or is closed politely (1000).</li>
 *   <li>{@link RemovalReason#IDLE}: no {@link #admit} for {@code idleTimeout} (the sweep, or
 *       {@link #expireIdle()}). Close politely (1001 "idle timeout").</li>
 *   <li>{@link RemovalReason#SLOW}: its queue overflowed under {@link OverflowPolicy#CLOSE_CONNECTION};
 *       the peer stopped reading. <b>Abort</b> the socket ({@link RemovalReason#abortive()}): a close
 *       frame would only queue behind the write the peer does not read.</li>
 *   <li>{@link RemovalReason#FAILING}: {@code maxConsecutiveFailures} sends failed in a row.
 *       <b>Abort</b> the socket.</li>
 *   <li>{@link RemovalReason#SHUTDOWN}: the pool was closed. Close politely (1001 "server shutting
 *       down").</li>
 * </ul>
 * After an unregister or an idle expiry, frames already queued are still handed to the manager in
 * order (so the acknowledgement of a {@code disconnect} message still leaves); after the forced
 * removals (slow, failing, shutdown) they are dropped (and counted). No removed connection accepts a
 * new frame. The lines the pool logs about removals (WARN, for slow and failing peers and failing
 * listeners) are rate-limited: at most 10 per 10 s, then one line counting those not logged.
 *
 * <p><b>One writer per id, always.</b> After any removal the id stays reserved until the removed
 * connection's writer stepped down: until its last queued frame has left (graceful removals), or
 * until the send in flight, if any, completed (forced removals). Meanwhile another user presenting
 * the id is refused ({@link io.wsrouter.core.Admission#FORBIDDEN}); its own user presenting it gets
 * the same queue back after a graceful removal (order kept), and is refused too after a forced one
 * (a peer removed for being slow cannot re-register itself with its next inbound frame, and no
 * second writer starts while the aborted socket's write is pending). So the manager never sees two
 * sends for one id overlap, across removals and re-registrations. The bound: {@code drainTimeout}
 * after the removal, the sweep drops what is still queued and releases the id even if the transport
 * never completed the stage of the send in flight (logged): a stage that never completes cannot
 * reserve an id forever, but a transport that breaks its contract that way may then see a send for
 * a new connection with that id while the stale one is still pending. A manager that throws,
 * returns {@code null} or fails its stage never holds an id: the failure completes the send.
 *
 * <p><b>Sweeping, and a pool never closed.</b> Pools do not own threads. Their idle sweeps run on
 * one daemon thread shared by all pools ({@value #SWEEPER_THREAD_PREFIX}{@code shared}), which ends
 * after 10 s without any sweep to run and starts again with the next pool. Each scheduled sweep
 * holds its pool only weakly: a pool (or router) dropped without {@code close()} is garbage
 * collected like any object, its sweep then cancels itself, and nothing keeps running. {@code close()}
 * cancels the sweep at once (it does not wait for a sweep running at that moment, which finds the pool
 * closed and removes nothing more). Listeners told of an idle expiry run on that shared thread: do
 * not block in them.
 *
 * <p><b>Thread safety:</b> every method may be called from any number of threads. Registering,
 * unregistering, the lookups and the sends are atomic (linearizable) with respect to each other,
 * except that an id stays reserved while its frames are being handed over (above);
 * {@link #activeConnections()} and {@link #connectedUsers()} are statistics that may trail a change
 * in progress. There is no global lock: lookups read concurrent maps,
 * registration, {@link #connectionsOf} and the enqueueing part of {@link #sendToUser} lock one user's
 * entry, and a send locks one connection's queue for the time of an enqueue; the manager is never
 * called under a lock. {@link #sendToUser} costs O(connections of the user).
 *
 * <pre>{@code
 * ConnectionPool pool = ConnectionPool.builder((connectionId, frame) -> sockets.send(connectionId, frame))
 *         .idleTimeout(Duration.ofMinutes(5))
 *         .maxConnectionsPerUser(8)
 *         .build();
 * pool.addListener((userId, connectionId, reason) -> {
 *     if (reason.abortive()) {
 *         sockets.abort(connectionId);             // SLOW, FAILING: drop the TCP connection
 *     } else {
 *         sockets.close(connectionId, reason);     // UNREGISTERED, IDLE, SHUTDOWN: close frame
 *     }
 * });
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).build();
 * ...
 * router.close();   // closes the pool too: its sweep is cancelled, every connection told SHUTDOWN
 * }</pre>
 */
public interface ConnectionPool extends ConnectionRegistry {

    /** Idle timeout: 300 s without inbound activity. */
    Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);
    /** Connections one user may hold: 32. */
    int DEFAULT_MAX_CONNECTIONS_PER_USER = 32;
    /** Frames waiting in one connection's queue: 1024. */
    int DEFAULT_MAX_QUEUED_FRAMES = 1024;
    /** UTF-8 bytes waiting in one connection's queue: 1 MiB. */
    long DEFAULT_MAX_QUEUED_BYTES = 1024L * 1024L;
    /** Overflow policy: {@link OverflowPolicy#CLOSE_CONNECTION} (see {@link Builder#overflowPolicy}). */
    OverflowPolicy DEFAULT_OVERFLOW_POLICY = OverflowPolicy.CLOSE_CONNECTION;
    /** Failed sends in a row after which a connection is removed: 3. */
    int DEFAULT_MAX_CONSECUTIVE_FAILURES = 3;
    /** How often the sweeper looks for idle connections: every 30 s. */
    Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(30);
    /**
     * How long a removed connection may keep its id: a graceful one handing its queued frames to the
     * transport, any one waiting for the send in flight to complete; then the sweep drops what is
     * left and releases the id: 30 s. Bounds the memory a peer that stopped reading can pin after it
     * disconnected, and how long a stage that never completes can reserve an id.
     */
    Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Name prefix of the daemon thread that runs the idle sweeps (one thread shared by all pools). */
    String SWEEPER_THREAD_PREFIX = "wsrouter-pool-sweeper-";

    /**
     * {@return how long a connection may stay without inbound activity before the sweeper removes it
     *          ({@link io.wsrouter.core.RemovalReason#IDLE}); transport adapters align the container's
     *          own idle timeout with it}
     */
    Duration idleTimeout();

    /**
     * Starts building a pool that writes through the given manager.
     *
     * @param manager the host's transport
     * @return a builder with the {@code DEFAULT_*} settings
     * @throws NullPointerException when manager is null
     */
    static Builder builder(WebSocketManager manager) {
        return new Builder(manager);
    }

    /**
     * Builds a {@link ConnectionPool}. Every setting is optional and validated when set; the bad value
     * is named in the exception. Not thread-safe; the pool it builds is. Each {@link #build()}
     * schedules the pool's idle sweep on the daemon thread shared by all pools (see
     * {@link ConnectionPool}), cancelled by the pool's {@code close()} or when the pool is collected.
     *
     * <pre>{@code
     * ConnectionPool pool = ConnectionPool.builder(manager)
     *         .idleTimeout(Duration.ofMinutes(5))
     *         .maxConnectionsPerUser(32)
     *         .maxQueuedFrames(1024)
     *         .maxQueuedBytes(1 << 20)
     *         .overflowPolicy(OverflowPolicy.CLOSE_CONNECTION)
     *         .maxConsecutiveFailures(3)
     *         .sweepInterval(Duration.ofSeconds(30))
     *         .drainTimeout(Duration.ofSeconds(30))
     *         .build();
     * }</pre>
     */
    final class Builder {
        final WebSocketManager manager;
        Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        int maxQueuedFrames = DEFAULT_MAX_QUEUED_FRAMES;
        long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        OverflowPolicy overflowPolicy = DEFAULT_OVERFLOW_POLICY;
        int maxConsecutiveFailures = DEFAULT_MAX_CONSECUTIVE_FAILURES;
        Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        Clock clock = Clock.systemUTC();
        SweepScheduler sweepScheduler = SweepScheduler.SHARED;

        private Builder(WebSocketManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
        }

        /**
         * Sets how long a connection may stay idle before the sweeper removes it.
         *
         * @param value how long a connection may go without inbound activity (an {@code admit}: its
         *              registration or any frame routed from it) before the sweeper removes it;
         *              default 300 s; millisecond precision
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = requirePositive("idleTimeout", value);
            return this;
        }

        /**
         * Sets how many connections one user may hold.
         *
         * @param value the most connections one user may hold at once; default 32
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxConnectionsPerUser(int value) {
            this.maxConnectionsPerUser = (int) requirePositive("maxConnectionsPerUser", value);
            return this;
        }

        /**
         * Sets how many frames may wait in one connection's queue.
         *
         * @param value the most frames waiting in one connection's queue (the one in flight not
         *              counted); default 1024
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxQueuedFrames(int value) {
            this.maxQueuedFrames = (int) requirePositive("maxQueuedFrames", value);
            return this;
        }

        /**
         * Sets how many bytes may wait in one connection's queue.
         *
         * @param value the most UTF-8 bytes waiting in one connection's queue; default 1 MiB. A single
         *              frame larger than this is still queued when the queue is otherwise empty.
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxQueuedBytes(long value) {
            this.maxQueuedBytes = requirePositive("maxQueuedBytes", value);
            return this;
        }

        /**
         * What to do when a connection's queue is full. The default,
         * {@link OverflowPolicy#CLOSE_CONNECTION}, is chosen because the frames of this router are a
         * stream (agent runs: started, thinking, tool executing/completed, completed) in which a gap
         * is silent corruption: the client would show a tool that never completes or a run that never
         * started. A client 1024 frames or 1 MiB behind is stalled or gone; removing it makes the
         * failure visible and lets it reconnect and resynchronise (Spring's
         * {@code ConcurrentWebSocketSessionDecorator} terminates the session for the same reason).
         * Choose {@link OverflowPolicy#DROP_OLDEST} when the latest frame supersedes older ones.
         *
         * @param value what happens to a frame that finds its connection's queue full
         * @return this builder
         * @throws NullPointerException when value is null
         */
        public Builder overflowPolicy(OverflowPolicy value) {
            this.overflowPolicy = Objects.requireNonNull(value, "overflowPolicy");
            return this;
        }

        /**
         * Sets how many failed sends in a row remove a connection.
         *
         * @param value failed sends in a row after which the connection is removed (a success resets
         *              the count); default 3
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxConsecutiveFailures(int value) {
            this.maxConsecutiveFailures = (int) requirePositive("maxConsecutiveFailures", value);
            return this;
        }

        /**
         * Sets how often the sweep looks for idle connections.
         *
         * @param value how often the sweep removes idle connections; default 30 s
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder sweepInterval(Duration value) {
            this.sweepInterval = requirePositive("sweepInterval", value);
            return this;
        }

        /**
         * Sets how long a removed connection may drain before its id is released.
         *
         * @param value how long a removed connection may keep its id, draining its queue (graceful
         *              removals) or waiting for its send in flight; then the sweep drops the rest
         *              (counted in {@code framesDropped}) and releases the id; default 30 s
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder drainTimeout(Duration value) {
            this.drainTimeout = requirePositive("drainTimeout", value);
            return this;
        }

        /**
         * Sets the clock that times activity and idleness.
         *
         * @param value the clock that times activity and idleness; default the UTC system clock
         *              (tests pass one they can move)
         * @return this builder
         * @throws NullPointerException when value is null
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Tests: the scheduler of the idle sweep, instead of the shared one. */
        Builder sweepScheduler(SweepScheduler value) {
            this.sweepScheduler = Objects.requireNonNull(value, "sweepScheduler");
            return this;
        }

        /**
         * Builds the pool and schedules its idle sweep.
         *
         * @return a new, open pool
         */
        public ConnectionPool build() {
            return new DefaultConnectionPool(this);
        }

        private static long requirePositive(String name, long value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be > 0 but was " + value);
            }
            return value;
        }

        private static Duration requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0 but was " + value);
            }
            return value;
        }
    }
}
