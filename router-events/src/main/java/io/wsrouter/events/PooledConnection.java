package io.wsrouter.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered connection: its owner, its last inbound activity, and its outbound queue with the
 * single-writer drain. Kept small on purpose (about 48 bytes): the pool holds a million of these,
 * and the queue exists only while frames wait.
 *
 * <p>Delivery: {@link #offer} either queues the frame (a writer is active) or makes the calling
 * thread the writer. The writer hands one frame to the manager, and continues with the next one
 * when the returned stage completes: in the same loop when it completed synchronously (no
 * recursion, whatever the number of frames), or on the completing thread otherwise. The stage's
 * callback is this object ({@link #accept}), so a send allocates nothing of ours.
 *
 * <p>Life cycle: open, then closed by the pool. Whatever the reason, a closed connection stays in
 * the pool's id map, bound to its user, until its writer stepped down (one writer per id): its id
 * cannot be taken while a frame of it may still be handed to the transport. A connection closed
 * gracefully (unregistered, expired) keeps draining what was queued until the last frame left, and
 * its own user re-registering the id gets this object back (order kept). A connection closed by
 * force (failing, overflow, pool closed) drops its queue, refuses to be reopened, and leaves the id
 * map as soon as the send in flight, if any, completes. The sweeper gives up on a closed connection
 * still holding its id {@code drainTimeout} after its removal ({@link #giveUp}), so a stage that
 * never completes cannot reserve an id forever.
 */
final class PooledConnection implements BiConsumer<Object, Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(PooledConnection.class);

    /** The states of the send in flight, for the synchronous/asynchronous completion handshake. */
    private static final int IDLE = 0;
    private static final int REGISTERING = 1;
    private static final int AWAITING = 2;
    private static final int DONE_OK = 3;
    private static final int DONE_FAILED = 4;

    /** Whether it still holds its id in the pool's id map (and if closed by force: never reopened). */
    private static final byte HOLDS_ID = 0;
    private static final byte HOLDS_ID_FORCED = 1;
    private static final byte RELEASED = 2;

    /** Outcomes of one send. */
    private static final int SENT = 0;
    private static final int FAILED = 1;
    private static final int PENDING = 2;

    /** Outcomes of {@link #enqueue}. */
    static final int REFUSED = 0;
    static final int QUEUED = 1;
    static final int SEND_NOW = 2;
    static final int OVERFLOWED = 3;

    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(PooledConnection.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final DefaultConnectionPool pool;
    final String userId;
    final String id;
    private volatile long lastActivity;
    private volatile boolean open = true;
    @SuppressWarnings("unused") // accessed through PHASE
    private volatile int phase;

    // Guarded by this.
    private FrameQueue queue;
    private boolean writing;
    /** A copy of {@code writing}, also read without the monitor, as a hint only. */
    private boolean writingHint;
    /** {@link #HOLDS_ID}, {@link #HOLDS_ID_FORCED} or {@link #RELEASED}: one byte, to stay at 48 bytes. */
    private byte idState;
    private int failures;

    PooledConnection(DefaultConnectionPool pool, String userId, String id, long now) {
        this.pool = pool;
        this.userId = userId;
        this.id = id;
        this.lastActivity = now;
    }

    boolean isOpen() {
        return open;
    }

    long lastActivity() {
        return lastActivity;
    }

    void touch(long now) {
        if (lastActivity != now) {
            lastActivity = now;
        }
    }

    // ------------------------------------------------------------------ life cycle (called by the pool)

    /**
     * Closes the connection; called with its user's entry locked. Gracefully: what is queued still
     * drains. By force: the queue is dropped (counted), and the connection can no longer be
     * reopened; also applies to a connection already closed gracefully. Either way it keeps its id
     * in the pool's id map until no send of it is in flight, and a close of an open connection
     * starts the deadline ({@code drainTimeout}) after which the sweeper stops waiting for that.
     *
     * @param now the pool's clock, in milliseconds
     * @return whether it was open
     */
    synchronized boolean close(boolean force, long now) {
        boolean wasOpen = open;
        open = false;
        if (wasOpen) {
            lastActivity = now;
        }
        if (force) {
            if (idState == HOLDS_ID) {
                idState = HOLDS_ID_FORCED;
            }
            dropQueue();
        }
        if (!writing) {
            detach();
        }
        return wasOpen;
    }

    /**
     * @return whether it was closed by force and still holds its id (a send in flight): its id is
     *         refused to everybody, its own user included, until that send completes
     */
    synchronized boolean heldByForce() {
        return idState == HOLDS_ID_FORCED;
    }

    /**
     * Reopens a connection closed gracefully whose queue is still draining, for the same user.
     * Called with the user's entry locked.
     *
     * @return false when it already left the id map (the caller registers a new one)
     * @throws IllegalStateException when it was closed by force (see {@link #heldByForce()})
     */
    synchronized boolean reopen(long now) {
        if (idState == RELEASED) {
            return false;
        }
        if (idState == HOLDS_ID_FORCED) {
            throw new IllegalStateException(this + " was closed by force");
        }
        open = true;
        failures = 0;
        lastActivity = now;
        return true;
    }

    /** Must hold the monitor. */
    private void detach() {
        if (idState != RELEASED) {
            idState = RELEASED;
            pool.detached(this);
        }
    }

    /**
     * Gives up on a closed connection that still holds its id {@code drainTimeout} after it was
     * closed: the frames still queued are dropped (counted) and the id is released, even when the
     * transport never completed the stage of the send in flight. Without this, a stage that never
     * completes would reserve the id forever (a user who reconnects with it would be refused for
     * good). The stale stage, should it complete later, sends nothing more: the queue is gone and
     * the connection is closed.
     *
     * @return whether a send was still in flight (the transport broke its contract)
     */
    synchronized boolean giveUp() {
        if (open || idState == RELEASED) {
            return false; // reopened by its user meanwhile, or already gone
        }
        dropQueue();
        detach();
        return writing;
    }

    /** Must hold the monitor. */
    private void dropQueue() {
        FrameQueue q = queue;
        if (q != null) {
            int n = q.size();
            queue = null;
            pool.framesDropped.add(n);
            pool.framesQueued.add(-n);
        }
    }

    // ------------------------------------------------------------------ delivery

    /**
     * Accepts one frame for this connection without waiting for any send: queues it behind the
     * active writer, or becomes the writer and sends it now.
     *
     * @return whether the frame was accepted (false: closed, or refused by the overflow policy)
     */
    boolean offer(String frame) {
        // Racy hint: size the frame outside the lock when it will probably wait.
        return finish(enqueue(frame, writingHint ? FrameQueue.utf8Length(frame) : -1), frame);
    }

    /** @return whether a writer is probably active (read without the monitor: a hint only) */
    boolean writingHint() {
        return writingHint;
    }

    /**
     * The locked half of {@link #offer}: decides what happens to the frame and queues it if it has
     * to wait. Calls neither the manager nor the pool's removal, so the pool may call it while it
     * holds the user's entry lock (lock order: the user's entry, then this monitor).
     *
     * @param size the frame's UTF-8 length, or -1 when not known yet
     * @return {@link #REFUSED}, {@link #QUEUED}, {@link #SEND_NOW} or {@link #OVERFLOWED}; pass it
     *         to {@link #finish} once no lock is held
     */
    int enqueue(String frame, int size) {
        synchronized (this) {
            if (!open) {
                return REFUSED;
            }
            if (!writing) {
                writing = true;
                writingHint = true;
                return SEND_NOW;
            }
            if (size < 0) {
                size = FrameQueue.utf8Length(frame);
            }
            FrameQueue q = queue;
            if (q == null) {
                q = new FrameQueue(pool.maxQueuedFrames);
                queue = q;
            } else if (full(q, size)) {
                if (pool.overflowPolicy == OverflowPolicy.CLOSE_CONNECTION) {
                    return OVERFLOWED;
                }
                int dropped = 0;
                while (!q.isEmpty() && full(q, size)) {
                    q.poll();
                    dropped++;
                }
                pool.framesDropped.add(dropped);
                pool.framesQueued.add(-dropped);
            }
            q.add(frame, size);
            pool.framesQueued.increment();
            return QUEUED;
        }
    }

    /**
     * The unlocked half of {@link #offer}: sends the frame when {@link #enqueue} made the caller the
     * writer, removes the connection when it overflowed. Must be called without holding any lock.
     *
     * @return whether the frame was accepted
     */
    boolean finish(int outcome, String frame) {
        switch (outcome) {
            case QUEUED:
                return true;
            case SEND_NOW:
                drain(frame);
                return true;
            case OVERFLOWED:
                pool.framesDropped.increment();
                pool.closeSlow(this);
                return false;
            default:
                return false;
        }
    }

    private boolean full(FrameQueue q, int size) {
        return q.size() >= pool.maxQueuedFrames || q.bytes() + size > pool.maxQueuedBytes;
    }

    /** The writer's loop: sends until the queue is empty or a send completes later. */
    private void drain(String first) {
        String frame = first;
        while (frame != null) {
            int outcome = send(frame);
            if (outcome == PENDING) {
                return;
            }
            frame = completed(outcome == SENT);
        }
    }

    private int send(String frame) {
        CompletionStage<Void> stage;
        try {
            stage = pool.manager.sendToConnection(id, frame);
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                abandon();   // nothing can be trusted after this: give the connection up, let the error go
                throw (VirtualMachineError) e;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("send to connection {} of user {} threw", id, userId, e);
            return FAILED;
        }
        if (stage == null) {
            LOG.debug("send to connection {} of user {} returned null", id, userId);
            return FAILED;
        }
        if (stage instanceof CompletableFuture<?> done && done.isDone()) {
            // Already complete (a synchronous transport): read the outcome, register nothing.
            return done.isCompletedExceptionally() ? FAILED : SENT;
        }
        phase = REGISTERING;
        try {
            stage.whenComplete(this);
        } catch (RuntimeException e) {
            phase = IDLE;
            LOG.debug("whenComplete on the stage of connection {} threw", id, e);
            return FAILED;
        }
        if (PHASE.compareAndSet(this, REGISTERING, AWAITING)) {
            return PENDING;   // accept() continues the drain on the completing thread
        }
        // Completed during whenComplete, on this thread or another: this loop continues.
        int done = phase;
        phase = IDLE;
        return done == DONE_OK ? SENT : FAILED;
    }

    /** Counts a failed send, removes the connection by force and steps down as its writer. */
    private void abandon() {
        pool.sendFailures.increment();
        try {
            pool.closeFailing(this);
        } finally {
            synchronized (this) {
                next();   // the forced close dropped the queue: this only clears the writer
            }
        }
    }

    /** The completion of the send in flight. Not for callers: the stage calls it. */
    @Override
    public void accept(Object ignored, Throwable error) {
        int done = error == null ? DONE_OK : DONE_FAILED;
        if (PHASE.compareAndSet(this, REGISTERING, done)) {
            return;   // the writer's loop picks it up
        }
        if (PHASE.compareAndSet(this, AWAITING, IDLE)) {
            if (error != null) {
                LOG.debug("send to connection {} of user {} failed", id, userId, error);
            }
            String next = completed(error == null);
            if (next != null) {
                drain(next);
            }
        }
    }

    /**
     * Records the outcome of the send that just finished and picks the next frame.
     *
     * @return the next frame to send, or null when the queue is empty (the writer steps down)
     */
    private String completed(boolean ok) {
        if (ok) {
            pool.framesSent.increment();
        } else {
            pool.sendFailures.increment();
        }
        synchronized (this) {
            if (ok) {
                failures = 0;
                return next();
            }
            if (++failures < pool.maxConsecutiveFailures) {
                return next();
            }
        }
        String following = null;
        try {
            pool.closeFailing(this);   // outside the monitor: the pool locks the user's entry first
        } finally {
            // Even when a listener threw: step down as the writer, or the id would stay held forever.
            synchronized (this) {
                following = next();   // null: the forced close dropped the queue
            }
        }
        return following;
    }

    /** Must hold the monitor. */
    private String next() {
        FrameQueue q = queue;
        if (q != null) {
            String frame = q.poll();
            if (q.isEmpty()) {
                queue = null;
            }
            pool.framesQueued.decrement();
            return frame;
        }
        writing = false;
        writingHint = false;
        if (!open) {
            detach();   // a close waited for this send to complete
        }
        return null;
    }

    @Override
    public String toString() {
        return "Connection[" + id + " of " + userId + (open ? "" : ", closed") + "]";
    }
}
