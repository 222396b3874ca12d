package io.wsrouter.events;

import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.ConnectionRegistry;
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
 * <p><b>Removal.</b> A connection leaves the pool when the transport or its user unregisters it, when
 * it was idle (no {@link #admit} for {@code idleTimeout}; a daemon sweeper checks every
 * {@code sweepInterval}), when its sends keep failing, when it overflows under
 * {@link OverflowPolicy#CLOSE_CONNECTION}, or when the pool closes. Listeners
 * ({@link #addListener(ConnectionListener)}) are told of every removal: the pool cannot close a socket
 * itself, so a host that wants idle, slow or failing clients disconnected closes the socket there.
 * After an unregister or an idle expiry, frames already queued are still handed to the manager in
 * order (so the acknowledgement of a {@code disconnect} message still leaves); after the other
 * removals they are dropped (and counted). No removed connection accepts a new frame. Until the last
 * queued frame has left, the id stays reserved: another user presenting it is still refused, and its
 * own user presenting it gets the same queue back (one writer per id, order kept).
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
 * pool.addListener((userId, connectionId, reason) -> sockets.close(connectionId, reason));
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).build();
 * ...
 * router.close();   // closes the pool too: its sweeper thread stops
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
     * How long a connection closed gracefully (unregistered, expired) may keep handing its queued
     * frames to the transport before the sweeper drops what is left: 30 s. Bounds the memory a peer
     * that stopped reading can pin after it disconnected.
     */
    Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Name prefix of the pools' sweeper threads (daemon threads, one per pool). */
    String SWEEPER_THREAD_PREFIX = "wsrouter-pool-sweeper-";

    /**
     * @return how long a connection may stay without inbound activity before the sweeper removes it
     *         ({@link io.wsrouter.core.RemovalReason#IDLE}); transport adapters align the container's
     *         own idle timeout with it
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
     * is named in the exception. Not thread-safe; the pool it builds is. Each {@link #build()} starts
     * one daemon sweeper thread, stopped by the pool's {@code close()}.
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

        private Builder(WebSocketManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
        }

        /**
         * @param value how long a connection may go without inbound activity (an {@code admit}: its
         *              registration or any frame routed from it) before the sweeper removes it;
         *              default 300 s; millisecond precision
         * @throws IllegalArgumentException when not positive
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = requirePositive("idleTimeout", value);
            return this;
        }

        /**
         * @param value the most connections one user may hold at once; default 32
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxConnectionsPerUser(int value) {
            this.maxConnectionsPerUser = (int) requirePositive("maxConnectionsPerUser", value);
            return this;
        }

        /**
         * @param value the most frames waiting in one connection's queue (the one in flight not
         *              counted); default 1024
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxQueuedFrames(int value) {
            this.maxQueuedFrames = (int) requirePositive("maxQueuedFrames", value);
            return this;
        }

        /**
         * @param value the most UTF-8 bytes waiting in one connection's queue; default 1 MiB. A single
         *              frame larger than this is still queued when the queue is otherwise empty.
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
         * @throws NullPointerException when value is null
         */
        public Builder overflowPolicy(OverflowPolicy value) {
            this.overflowPolicy = Objects.requireNonNull(value, "overflowPolicy");
            return this;
        }

        /**
         * @param value failed sends in a row after which the connection is removed (a success resets
         *              the count); default 3
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxConsecutiveFailures(int value) {
            this.maxConsecutiveFailures = (int) requirePositive("maxConsecutiveFailures", value);
            return this;
        }

        /**
         * @param value how often the sweeper thread removes idle connections; default 30 s
         * @throws IllegalArgumentException when not positive
         */
        public Builder sweepInterval(Duration value) {
            this.sweepInterval = requirePositive("sweepInterval", value);
            return this;
        }

        /**
         * @param value how long a connection closed gracefully may keep draining its queue before the
         *              sweeper drops the rest (counted in {@code framesDropped}); default 30 s
         * @throws IllegalArgumentException when not positive
         */
        public Builder drainTimeout(Duration value) {
            this.drainTimeout = requirePositive("drainTimeout", value);
            return this;
        }

        /**
         * @param value the clock that times activity and idleness; default the UTC system clock
         *              (tests pass one they can move)
         * @throws NullPointerException when value is null
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds the pool and starts its sweeper thread.
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
