package io.wsrouter.tests;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.WebSocketManager;
import io.wsrouter.jetty.JettyRouterEndpoint;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real WebSocket server for the end-to-end tests: embedded Jetty 12 (core WebSocket, no servlet
 * container) on an ephemeral port of 127.0.0.1, with one {@link CanonicalMessageRouter} behind
 * router-jetty's {@link JettyRouterEndpoint} at {@code /ws?user=<id>}: the glue a host gets from the
 * adapter (register on open, route each text frame, unregister on close, sends completed by Jetty's
 * write callback, sockets closed or aborted by the pool's removal reason). The user comes from the
 * query through the adapter's insecure opt-in, which suits a test. The router is built by the test
 * from the adapter's transport (so a test can wrap it), and closed with the server.
 */
final class JettyRouterServer {

    static final String PATH = "/ws";
    private static final String THREAD_NAME = "e2e-jetty";

    private final Server server;
    private final CanonicalMessageRouter router;

    private JettyRouterServer(Server server, CanonicalMessageRouter router) {
        this.server = server;
        this.router = router;
    }

    /**
     * Starts a server on 127.0.0.1 and an ephemeral port.
     *
     * @param routerFactory builds the router from the Jetty transport (typically
     *                      {@code t -> builder().connectionPool(ConnectionPool.builder(t).build())...build()})
     */
    static JettyRouterServer start(Function<WebSocketManager, CanonicalMessageRouter> routerFactory) throws Exception {
        WebSocketManager transport = JettyRouterEndpoint.newTransport();
        CanonicalMessageRouter router = routerFactory.apply(transport);
        JettyRouterEndpoint endpoint = JettyRouterEndpoint.builder(router, transport)
                .path(PATH)
                .userResolver(JettyRouterEndpoint.UserResolver.insecureQueryParameter("user"))
                .build();

        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName(THREAD_NAME);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(endpoint.upgradeHandler(server));
        JettyRouterServer running = new JettyRouterServer(server, router);
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

    /** @return the server-side connection ids of a user's registered connections */
    List<String> connectionsOf(String user) {
        return router.connectionPool().orElseThrow().connectionsOf(user);
    }

    /** @return whether Jetty has stopped */
    boolean isStopped() {
        return server.isStopped();
    }

    /** Closes the router (its pool closes every socket with 1001), then stops Jetty, joining its threads. Idempotent. */
    void close() throws Exception {
        try {
            router.close();
        } finally {
            server.stop();
            server.join();
        }
    }
}
