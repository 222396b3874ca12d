package io.wsrouter.jakarta;

import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.RemovalReason;
import io.wsrouter.events.WebSocketManager;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport under the connection pool for Jakarta WebSocket sessions: connection id -> open
 * {@link Session}. Give it to {@code ConnectionPool.builder(sessions)}; {@link RouterServlet} (or
 * router-spring's handler) adds and removes the sessions and listens to the pool's removals.
 *
 * <p><b>Sends never block.</b> {@link #sendToConnection} starts
 * {@code session.getAsyncRemote().sendText(frame, handler)} and returns a stage that the container's
 * {@link jakarta.websocket.SendHandler} completes. The pool has at most one send in flight per
 * connection, which is also what the Jakarta API requires (a second concurrent send on one session
 * fails with {@code IllegalStateException}).
 *
 * <p><b>Closes by removal reason</b> ({@link #connectionClosed}), the same in every wsrouter adapter:
 * <table>
 *   <caption>What happens to the socket when the pool removes its connection</caption>
 *   <tr><th>{@link RemovalReason}</th><th>socket</th></tr>
 *   <tr><td>UNREGISTERED</td><td>nothing: the socket is closing already, or the client sent
 *       {@code disconnect} and got its acknowledgement (it closes; a further frame registers it again)</td></tr>
 *   <tr><td>IDLE</td><td>close 1001 "idle timeout"</td></tr>
 *   <tr><td>SHUTDOWN</td><td>close 1001 "server shutting down"</td></tr>
 *   <tr><td>SLOW, FAILING</td><td><b>abort</b>: {@code close(new CloseReason(CLOSED_ABNORMALLY, ...))}.
 *       1006 is never written on the wire; Tomcat (10.1, 11) then tries to write a close frame for at
 *       most {@value #TOMCAT_ABNORMAL_CLOSE_TIMEOUT_PROPERTY} (50 ms by default; it cannot while the
 *       stalled write holds the connection) and drops the TCP connection. The Jakarta API has no
 *       portable abort; other containers do what their close with 1006 does.</td></tr>
 * </table>
 * Closing may wait on the container: Tomcat waits up to 50 ms for the close frame of an abort, and for
 * the close frame of a polite close (1001, 1008) up to its blocking-send timeout, 20 s by default, which
 * this class lowers to {@value #POLITE_CLOSE_TIMEOUT_MILLIS} ms for the close (session user property
 * {@value #TOMCAT_BLOCKING_SEND_TIMEOUT_PROPERTY}; Tomcat then drops a peer that stopped reading). The
 * pool calls listeners on the thread that removed the connection (an emitting thread
 * for SLOW, the container's write-completion thread for FAILING), so closes run on the close executor.
 * The default one has {@value #CLOSE_THREADS} daemon threads of its own (named
 * {@code wsrouter-jakarta-close-N}, gone after 10 s without work), so a close stuck on one peer delays no
 * other close until that many are stuck at once; it is not {@code ForkJoinPool.commonPool()}, which has
 * a single thread on a 2-core machine.
 *
 * <p><b>Thread safety:</b> every method may be called from any thread.
 *
 * <pre>{@code
 * JakartaSessions sessions = new JakartaSessions();
 * ConnectionPool pool = ConnectionPool.builder(sessions).build();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).build();
 * HttpServlet ws = RouterServlet.builder(router, sessions).build();   // adds sessions as pool listener
 * }</pre>
 */
public final class JakartaSessions implements WebSocketManager, ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(JakartaSessions.class);

    /** Close code for an idle connection and for a server shutting down: 1001 (going away). */
    public static final int GOING_AWAY = 1001;
    /** Close code for a connection refused at open (FORBIDDEN, CONNECTION_LIMIT): 1008 (policy violation). */
    public static final int POLICY_VIOLATION = 1008;
    /** Tomcat's session user property that bounds the close frame of an abnormal close (default 50 ms). */
    public static final String TOMCAT_ABNORMAL_CLOSE_TIMEOUT_PROPERTY =
            "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

    /** Tomcat's session user property that bounds a blocking send, so also the close frame of a polite close. */
    public static final String TOMCAT_BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    /** How long a polite close may wait to write its close frame (Tomcat), in milliseconds. */
    public static final long POLITE_CLOSE_TIMEOUT_MILLIS = 2_000;

    /** Threads of the default close executor: closes stuck on the container at once before others wait. */
    public static final int CLOSE_THREADS = 16;

    private static final AtomicInteger CLOSE_THREAD_NUMBER = new AtomicInteger();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Executor closer;

    /** Closes sockets on an executor of its own ({@value #CLOSE_THREADS} daemon threads, see the class comment). */
    public JakartaSessions() {
        this(defaultCloser());
    }

    /**
     * Creates the transport, with the executor its closes run on.
     *
     * @param closer where closes and aborts run (they may wait briefly on the container)
     * @throws NullPointerException when closer is null
     */
    public JakartaSessions(Executor closer) {
        this.closer = Objects.requireNonNull(closer, "closer");
    }

    /**
     * Makes a session reachable by its connection id. Call it before registering the connection with
     * the router, so that nothing the router sends at registration is lost.
     *
     * @param connectionId the id the connection will be registered under
     * @param session      the container's open session
     * @throws NullPointerException when an argument is null
     */
    public void opened(String connectionId, Session session) {
        sessions.put(Objects.requireNonNull(connectionId, "connectionId"), Objects.requireNonNull(session, "session"));
    }

    /**
     * Forgets a session the container closed (before unregistering it from the router).
     *
     * @param connectionId the connection id given to {@link #opened}; an unknown one is ignored
     */
    public void closed(String connectionId) {
        sessions.remove(connectionId);
    }

    /** {@return how many sessions are known (open, not yet closed by the container)} */
    public int openSessions() {
        return sessions.size();
    }

    /** Sends one text frame without blocking; the stage completes from the container's SendHandler. */
    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        Objects.requireNonNull(frame, "frame");
        Session session = sessions.get(connectionId);
        if (session == null || !session.isOpen()) {
            return CompletableFuture.failedFuture(
                    new IOException("no open WebSocket session for connection " + connectionId));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.getAsyncRemote().sendText(frame, result -> {
            if (result.isOK()) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(result.getException());
            }
        });
        return sent;
    }

    /** Closes (or aborts) the socket of a connection the pool removed, by reason (see the class comment). */
    @Override
    public void connectionClosed(String userId, String connectionId, RemovalReason reason) {
        CloseReason close = closeReasonFor(reason);
        if (close == null) {
            return;
        }
        Session session = sessions.remove(connectionId);
        if (session != null) {
            closer.execute(() -> close(session, close));
        }
    }

    /**
     * Tells how the socket of a connection the pool removed is closed.
     *
     * @param reason why the pool removed the connection
     * @return how a connection removed for that reason is closed; {@code null} for
     *         {@link RemovalReason#UNREGISTERED} (left alone); code 1006 for the abortive reasons
     */
    public static CloseReason closeReasonFor(RemovalReason reason) {
        switch (Objects.requireNonNull(reason, "reason")) {
            case IDLE:
                return new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "idle timeout");
            case SHUTDOWN:
                return new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
            case SLOW:
                return new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "too slow: outbound queue overflowed");
            case FAILING:
                return new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "sends kept failing");
            default:
                return null;
        }
    }

    private static Executor defaultCloser() {
        ThreadPoolExecutor closer = new ThreadPoolExecutor(CLOSE_THREADS, CLOSE_THREADS, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "wsrouter-jakarta-close-" + CLOSE_THREAD_NUMBER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        closer.allowCoreThreadTimeOut(true);
        return closer;
    }

    static void close(Session session, CloseReason reason) {
        try {
            if (session.isOpen()) {
                if (reason.getCloseCode() != CloseReason.CloseCodes.CLOSED_ABNORMALLY) {
                    // A peer that stopped reading must not hold a close thread for Tomcat's default 20 s.
                    session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT_PROPERTY, POLITE_CLOSE_TIMEOUT_MILLIS);
                }
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing WebSocket session {} with {} failed", session.getId(), reason, e);
        }
    }
}
