package io.wsrouter.tests;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.WebSocketManager;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A real WebSocket server for the end-to-end tests: embedded Jetty 12 (core WebSocket, no servlet
 * container) on an ephemeral port of 127.0.0.1, with one {@link CanonicalMessageRouter} behind
 * {@code /ws?user=<id>}, wired the way a host wires any WebSocket container:
 * <ul>
 *   <li>open: the session becomes reachable by the transport, then {@code registerConnection(user, id)}
 *       (refused: the socket is closed with POLICY_VIOLATION);</li>
 *   <li>text frame: {@code routeMessage(user, id, text)};</li>
 *   <li>close: {@code unregisterConnection(id)};</li>
 *   <li>the pool removing a connection (idle, slow, failing): the socket is closed.</li>
 * </ul>
 * The transport is a {@link WebSocketManager} that sends through the Jetty session asynchronously and
 * completes its stage from Jetty's write callback. The router is built by the test from that manager
 * (so a test can wrap it), and closed with the server.
 */
final class JettyRouterServer {

    static final String PATH = "/ws";
    private static final String THREAD_NAME = "e2e-jetty";

    private final Server server;
    private final CanonicalMessageRouter router;
    private final Sessions sessions;

    private JettyRouterServer(Server server, CanonicalMessageRouter router, Sessions sessions) {
        this.server = server;
        this.router = router;
        this.sessions = sessions;
    }

    /**
     * Starts a server on 127.0.0.1 and an ephemeral port.
     *
     * @param routerFactory builds the router from the Jetty transport (typically
     *                      {@code t -> builder().connectionPool(ConnectionPool.builder(t).build())...build()})
     */
    static JettyRouterServer start(Function<WebSocketManager, CanonicalMessageRouter> routerFactory) throws Exception {
        Sessions sessions = new Sessions();
        CanonicalMessageRouter router = routerFactory.apply(sessions::send);
        // The pool cannot close a socket: the host does it when the pool gives a connection up.
        router.connectionPool().ifPresent(pool -> pool.addListener((user, connection, reason) ->
                sessions.close(connection, StatusCode.POLICY_VIOLATION, "removed by the connection pool")));

        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName(THREAD_NAME);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping(PATH, (request, response, callback) -> {
                String user = Request.extractQueryParameters(request).getValue("user");
                if (user == null || user.isBlank()) {
                    Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "?user= is required");
                    return null;
                }
                return new RouterWebSocketEndpoint(router, sessions, user, "c" + sessions.nextId());
            });
        });
        context.setHandler(upgrade);
        server.setHandler(context);
        JettyRouterServer running = new JettyRouterServer(server, router, sessions);
        try {
            server.start();
        } catch (Exception e) {
            running.close();
            throw e;
        }
        return running;
    }

    URI uri(String user) {
        return URI.create("ws://127.0.0.1:" + port() + PATH + "?user=" + user);
    }

    /** @return the port Jetty listens on (chosen by the OS) */
    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    CanonicalMessageRouter router() {
        return router;
    }

    /** @return the server-side connection ids of a user's open sessions */
    List<String> connectionsOf(String user) {
        return sessions.connectionsOf(user);
    }

    /** Waits until {@code count} endpoints in total have been opened and registered (or refused). */
    void awaitOpened(int count, Duration timeout) throws InterruptedException, TimeoutException {
        sessions.awaitOpened(count, timeout);
    }

    /** @return whether Jetty has stopped */
    boolean isStopped() {
        return server.isStopped();
    }

    /** Closes every socket, stops Jetty (joining its threads) and closes the router. Idempotent. */
    void close() throws Exception {
        try {
            sessions.closeAll();
            server.stop();
            server.join();
        } finally {
            router.close();
        }
    }

    /** Connection id -> open Jetty session: the transport behind the router's {@link WebSocketManager}. */
    static final class Sessions {
        private final Map<String, Session> open = new ConcurrentHashMap<>();
        private final Map<String, String> users = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final Object openedLock = new Object();
        private int opened;

        int nextId() {
            return ids.incrementAndGet();
        }

        void opened(String user, String connectionId, Session session) {
            open.put(connectionId, session);
            users.put(connectionId, user);
        }

        void registered() {
            synchronized (openedLock) {
                opened++;
                openedLock.notifyAll();
            }
        }

        void closed(String connectionId) {
            open.remove(connectionId);
            users.remove(connectionId);
        }

        List<String> connectionsOf(String user) {
            List<String> ids = new ArrayList<>();
            users.forEach((connection, owner) -> {
                if (owner.equals(user)) {
                    ids.add(connection);
                }
            });
            return ids;
        }

        void awaitOpened(int count, Duration timeout) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (openedLock) {
                while (opened < count) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException(opened + " of " + count + " connections opened");
                    }
                    TimeUnit.NANOSECONDS.timedWait(openedLock, left);
                }
            }
        }

        /** The WebSocketManager: never blocks; the stage completes from Jetty's write callback. */
        CompletionStage<Void> send(String connectionId, String frame) {
            Objects.requireNonNull(frame, "frame");
            Session session = open.get(connectionId);
            if (session == null || !session.isOpen()) {
                return CompletableFuture.failedFuture(new IllegalStateException("no open session " + connectionId));
            }
            CompletableFuture<Void> sent = new CompletableFuture<>();
            session.sendText(frame, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
            return sent;
        }

        void close(String connectionId, int status, String reason) {
            Session session = open.get(connectionId);
            if (session != null) {
                session.close(status, reason, Callback.NOOP);
            }
        }

        void closeAll() {
            open.values().forEach(s -> s.close(StatusCode.SHUTDOWN, "server stopping", Callback.NOOP));
        }
    }
}
