package io.wsrouter.jetty;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.WebSocketManager;
import java.net.URI;
import java.security.Principal;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Jetty 12 server on 127.0.0.1 and an ephemeral port with one {@link JettyRouterEndpoint} at
 * {@code /ws}, behind a stand-in for the host's authentication: a request carrying
 * {@value #USER_HEADER} is authenticated as that user (its Principal is set, as Jetty's
 * {@code SecurityHandler} would), so the endpoint's default user resolver is what the tests exercise.
 */
final class EndpointServer implements AutoCloseable {

    static final String USER_HEADER = "X-Test-User";

    private final Server server;
    private final ServerConnector connector;
    private final CanonicalMessageRouter router;
    private final JettyRouterEndpoint endpoint;

    private EndpointServer(Server server, ServerConnector connector, CanonicalMessageRouter router, JettyRouterEndpoint endpoint) {
        this.server = server;
        this.connector = connector;
        this.router = router;
        this.endpoint = endpoint;
    }

    static EndpointServer start(Function<WebSocketManager, CanonicalMessageRouter> routerFactory) throws Exception {
        return start(routerFactory, UnaryOperator.identity());
    }

    static EndpointServer start(Function<WebSocketManager, CanonicalMessageRouter> routerFactory,
                                UnaryOperator<JettyRouterEndpoint.Builder> configuration) throws Exception {
        WebSocketManager transport = JettyRouterEndpoint.newTransport();
        CanonicalMessageRouter router = routerFactory.apply(transport);
        JettyRouterEndpoint endpoint = configuration.apply(JettyRouterEndpoint.builder(router, transport)).build();

        QueuedThreadPool threads = new QueuedThreadPool(24, 4);
        threads.setName("jetty-endpoint-test");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        TestAuthentication authentication = new TestAuthentication();
        authentication.setHandler(endpoint.upgradeHandler(server));
        server.setHandler(authentication);
        EndpointServer running = new EndpointServer(server, connector, router, endpoint);
        try {
            server.start();
        } catch (Exception e) {
            running.close();
            throw e;
        }
        return running;
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + endpoint.path());
    }

    int port() {
        return connector.getLocalPort();
    }

    /** @return the TCP connections Jetty holds open now (sockets, not WebSocket sessions) */
    int connectedEndPoints() {
        return connector.getConnectedEndPoints().size();
    }

    CanonicalMessageRouter router() {
        return router;
    }

    JettyRouterEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        } finally {
            router.close();
        }
    }

    /** Sets the Principal from {@value #USER_HEADER}, as a real authenticator would from a cookie or token. */
    static final class TestAuthentication extends Handler.Wrapper {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String user = request.getHeaders().get(USER_HEADER);
            if (user != null) {
                Principal principal = () -> user;
                Request.setAuthenticationState(request, new Request.AuthenticationState() {
                    @Override
                    public Principal getUserPrincipal() {
                        return principal;
                    }
                });
            }
            return super.handle(request, response, callback);
        }
    }
}
