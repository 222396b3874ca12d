package io.wsrouter.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * SPI: the one path of a user's event stream. Every event that leaves through
 * {@link CanonicalMessageRouter#emitToUser(String, String, Object)} (and so every agent event and
 * quality alert) is handed to the router's broker, which gives it the next <b>offset</b> of that
 * user's stream (1, 2, 3, ... with no gaps) and the stream's <b>epoch</b>, keeps it in a bounded
 * per-user <b>history</b>, and delivers it, in offset order, to every connection of the user.
 * A client that reconnects sends {@code {"type":"resume","payload":{"epoch":"...","offset":N}}} and
 * gets every event after {@code N} still in history, then a {@code resume_result}
 * (see {@link ResumeResult}).
 *
 * <p>Every router has one: {@link #inMemory()} (a single-node broker) unless
 * {@link CanonicalMessageRouter.Builder#broker(Broker)} sets another, such as the Redis broker of
 * {@code router-redis}, which makes several routers one stream per user.
 *
 * <p><b>Wire.</b> The broker adds two top-level fields to each event frame it is given:
 * {@code "offset"} (a JSON number) and {@code "epoch"} (a JSON string of {@code [A-Za-z0-9_-]}), so
 * {@code {"type":"agent_thinking","data":{...},"timestamp":"..."}} leaves as
 * {@code {"type":"agent_thinking","data":{...},"timestamp":"...","offset":42,"epoch":"k3f9"}}
 * (see {@link #stamp(String, long, String)}). Replies to one connection never pass through it.
 *
 * <p><b>Lifecycle.</b> The router calls {@link #bind(Outlet)} once when it is built (before any
 * other call), {@link #connectionOpened} when the pool registers a connection,
 * {@link #connectionClosed} when the pool removes one, and {@link #close()} when it closes.
 *
 * <p><b>Thread safety:</b> implementations are called by many threads at once and must keep one
 * order per user without a global lock: events of one user are delivered in offset order, and a
 * resume is atomic with respect to that user's publications (events published while it replays reach
 * the connection after the replayed ones: no gap, no duplicate).
 *
 * <pre>{@code
 * Broker broker = Broker.inMemoryBuilder()
 *         .historySize(200)
 *         .historyTtl(Duration.ofMinutes(5))
 *         .build();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(pool)
 *         .broker(broker)
 *         .build();
 * }</pre>
 */
public interface Broker extends AutoCloseable {

    /** Default events kept per user: 100. */
    int DEFAULT_HISTORY_SIZE = 100;
    /** Default time a user's history is kept after their last connection left: 2 minutes. */
    Duration DEFAULT_HISTORY_TTL = Duration.ofMinutes(2);
    /** Default bound of the in-memory broker's whole history: 64 MiB (oldest events first out). */
    long DEFAULT_MAX_HISTORY_BYTES = 64L * 1024 * 1024;

    /** {@return a single-node in-memory broker with the defaults} */
    static Broker inMemory() {
        return inMemoryBuilder().build();
    }

    /** {@return a builder for the single-node in-memory broker} */
    static InMemoryBuilder inMemoryBuilder() {
        return new InMemoryBuilder();
    }

    /**
     * Connects the broker to this node's connections. Called once by the router's builder, before
     * any other method.
     *
     * @param outlet where the broker hands frames for this node's connections
     * @throws IllegalStateException when already bound (a broker serves one router)
     */
    void bind(Outlet outlet);

    /**
     * Sequences one event of a user's stream, keeps it in history, and delivers it to the user's
     * connections (on every node, for a distributed broker).
     *
     * @param userId the user
     * @param frame  the event's envelope: a JSON object text without {@code offset} and {@code epoch}
     * @return how many connections of this node it was handed to now; a distributed broker that
     *         delivers asynchronously may return the number of this node's connections of the user
     */
    int publish(String userId, String frame);

    /**
     * Replays to one connection the user's events after {@code offset}, then sends the frame that
     * {@code resultFrame} makes of the outcome; atomic with respect to the user's publications.
     * When {@code epoch} is not the stream's epoch, or an event after {@code offset} is no longer in
     * history, nothing is replayed and the result says {@code recovered == false}.
     *
     * @param userId       the user, who owns {@code connectionId}
     * @param connectionId the connection to replay to
     * @param epoch        the epoch the client last saw
     * @param offset       the last offset the client rendered (0: nothing yet)
     * @param resultFrame  builds the {@code resume_result} frame sent after the replay
     * @return what happened
     */
    ResumeResult resume(String userId, String connectionId, String epoch, long offset,
                        Function<ResumeResult, String> resultFrame);

    /**
     * The pool registered a connection of the user: keep the user's history from now on.
     *
     * @param userId       the user who owns the connection
     * @param connectionId the connection that was registered
     */
    void connectionOpened(String userId, String connectionId);

    /**
     * The pool removed a connection of the user; history stays for {@code historyTtl} after the last one.
     *
     * @param userId       the user who owned the connection
     * @param connectionId the connection that was removed
     */
    void connectionClosed(String userId, String connectionId);

    /** {@return a snapshot of the broker's figures} */
    BrokerStatistics statistics();

    /** Releases the broker's resources; idempotent. Publications after it reach nobody. */
    @Override
    void close();

    /**
     * Adds the stream position to an event frame: {@code {...}} becomes
     * {@code {...,"offset":N,"epoch":"E"}} (whitespace after the closing brace is dropped). Only the
     * frame's shape is checked, not its whole syntax: give it a JSON object text, as the router's own
     * frames are.
     *
     * @param frame  a JSON object text: {@code '{'} first and {@code '}'} last, whitespace around allowed
     * @param offset the event's offset
     * @param epoch  the stream's epoch, of {@code [A-Za-z0-9_-]} only (no escaping is done)
     * @return the stamped frame
     * @throws IllegalArgumentException when the frame does not start with {@code '{'} and end with
     *                                  {@code '}'}, or the offset is negative
     */
    static String stamp(String frame, long offset, String epoch) {
        FrameBuffer buffer = FrameBuffer.of(frame); // the router's own stamp: one place writes its text
        try {
            return buffer.stamped(offset, epoch);
        } finally {
            buffer.release();
        }
    }

    /**
     * Where a broker hands frames for this node's connections: the router's delivery (the pool's
     * ordered per-connection queues). Calls for one user made in order leave in that order.
     */
    interface Outlet {

        /**
         * Queues one frame for every connection of the user on this node.
         *
         * @param userId the user
         * @param frame  the frame, sent as is (an event is stamped before it gets here)
         * @return the number of connections that accepted it
         */
        int sendToUser(String userId, String frame);

        /**
         * Queues one frame for one connection of the user.
         *
         * @param userId       the user, who must own {@code connectionId}
         * @param connectionId the connection
         * @param frame        the frame, sent as is
         * @return whether it was accepted (registered, owned by the user, open)
         */
        boolean sendToConnection(String userId, String connectionId, String frame);

        /**
         * Tells whether the user has a connection on this node.
         *
         * @param userId the user
         * @return whether the user has at least one connection on this node
         */
        boolean isConnected(String userId);
    }

    /**
     * Builds the single-node in-memory broker. Not thread-safe; the broker is.
     *
     * <pre>{@code
     * Broker broker = Broker.inMemoryBuilder().historySize(50).maxHistoryBytes(16 << 20).build();
     * }</pre>
     */
    final class InMemoryBuilder {
        int historySize = DEFAULT_HISTORY_SIZE;
        Duration historyTtl = DEFAULT_HISTORY_TTL;
        long maxHistoryBytes = DEFAULT_MAX_HISTORY_BYTES;
        Clock clock = Clock.systemUTC();

        InMemoryBuilder() {
        }

        /**
         * Sets how many events of each user's stream are kept for resume.
         *
         * @param value events kept per user; default 100
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public InMemoryBuilder historySize(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("historySize must be > 0 but was " + value);
            }
            this.historySize = value;
            return this;
        }

        /**
         * Sets how long a user's history is kept after their last connection left.
         *
         * @param value how long a user's history is kept after their last connection left (the
         *              tab that is reconnecting); while the user has a connection it is kept, bounded by
         *              {@code historySize} and the memory bound; default 2 minutes
         * @return this builder
         * @throws NullPointerException     when value is null
         * @throws IllegalArgumentException when not positive
         */
        public InMemoryBuilder historyTtl(Duration value) {
            Objects.requireNonNull(value, "historyTtl");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("historyTtl must be > 0 but was " + value);
            }
            this.historyTtl = value;
            return this;
        }

        /**
         * Sets the memory bound of all users' history together.
         *
         * @param value the bound of all users' history together, in bytes: the frames, UTF-8, are kept
         *              in one log of this size that writes over its oldest bytes first (allocated in
         *              1 MiB chunks as it fills, kept until the router closes); besides it each user's
         *              stream indexes its events at 16 bytes each; default 64 MiB
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public InMemoryBuilder maxHistoryBytes(long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxHistoryBytes must be > 0 but was " + value);
            }
            this.maxHistoryBytes = value;
            return this;
        }

        /**
         * Sets the clock that ages the history.
         *
         * @param value the clock for history ages; default the UTC system clock
         * @return this builder
         */
        public InMemoryBuilder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** {@return a new in-memory broker} */
        public Broker build() {
            return new InMemoryBroker(this);
        }
    }
}
