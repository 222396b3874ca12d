package io.wsrouter.jakarta;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canonical router behind a Jakarta WebSocket endpoint (Jakarta WebSocket 2.1: Tomcat 10.1 and 11,
 * Jetty 12's ee10 layer, Undertow 2.3), as a servlet to map at the WebSocket path. For each handshake
 * it checks the Origin, authenticates the user, and only then upgrades the request with
 * {@link ServerContainer#upgradeHttpToWebSocket} to an endpoint bound to that user (see
 * {@link RouterConnection} for what the endpoint does):
 * <ol>
 *   <li>not a WebSocket upgrade: HTTP 400;</li>
 *   <li>an Origin that is neither the endpoint's own nor listed in {@link Builder#allowedOrigins}:
 *       HTTP 403, no socket (a handshake without Origin, not a browser, passes);</li>
 *   <li>no user (the {@link UserResolver}, default the request's {@code Principal}): HTTP 401, no socket;</li>
 *   <li>otherwise the upgrade. The container's text-message limit is the router's
 *       {@code limits().maxFrameBytes()} (a larger frame is closed with 1009 before it is buffered) and
 *       its idle timeout {@link Builder#idleTimeout} (align it with the pool's).</li>
 * </ol>
 * Building it makes the {@link JakartaSessions} a listener of the router's pool, so sockets the pool
 * removes are closed by reason (aborted when slow or failing).
 *
 * <p>The servlet context must have a Jakarta WebSocket container (a war on Tomcat has one; embedded
 * Tomcat needs {@code context.addServletContainerInitializer(new WsSci(), null)}).
 *
 * <pre>{@code
 * JakartaSessions sessions = new JakartaSessions();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(ConnectionPool.builder(sessions).build())
 *         .agentService(agents)
 *         .build();
 * HttpServlet ws = RouterServlet.builder(router, sessions)
 *         .allowedOrigins("https://chat.example.com")
 *         .build();
 * Tomcat.addServlet(context, "wsrouter", ws).addMapping("/ws");
 * }</pre>
 *
 * <p><b>Thread safety:</b> the servlet is thread-safe; the builder is not.
 */
public final class RouterServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RouterServlet.class);

    /**
     * The container's idle timeout by default: the pool's default idle timeout plus its sweep interval,
     * so that the pool expires an idle connection (close 1001 "idle timeout") before the container does.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = ConnectionPool.DEFAULT_IDLE_TIMEOUT.plus(ConnectionPool.DEFAULT_SWEEP_INTERVAL);

    private final transient CanonicalMessageRouter router;
    private final transient JakartaSessions sessions;
    private final transient UserResolver users;
    private final transient Origins origins;
    private final transient Duration idleTimeout;

    private RouterServlet(Builder b) {
        this.router = b.router;
        this.sessions = b.sessions;
        this.users = b.users;
        this.origins = new Origins(b.allowedOrigins);
        this.idleTimeout = b.idleTimeout;
    }

    /**
     * Starts building the servlet that serves the router over WebSocket.
     *
     * @param router   the router; its pool must write through {@code sessions}
     * @param sessions the transport given to the router's pool
     * @return a builder with the defaults: Principal authentication, same origin only,
     *         {@link #DEFAULT_IDLE_TIMEOUT}
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(CanonicalMessageRouter router, JakartaSessions sessions) {
        return new Builder(router, sessions);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "a WebSocket upgrade is expected here");
            return;
        }
        String origin = request.getHeader("Origin");
        if (!origins.permits(origin, request.isSecure(), request.getHeader("Host"))) {
            LOG.info("refused a WebSocket handshake from origin {}", origin);
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
            return;
        }
        Optional<String> user = users.resolve(request);
        if (user == null || user.isEmpty()) {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "authentication required");
            return;
        }
        ServerContainer container = (ServerContainer) request.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new ServletException("no Jakarta WebSocket container in this servlet context "
                    + "(embedded Tomcat: context.addServletContainerInitializer(new WsSci(), null))");
        }
        RouterEndpoint endpoint = new RouterEndpoint(router, sessions, user.get(), idleTimeout);
        String path = request.getServletPath().isEmpty() ? "/" : request.getServletPath();
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(RouterEndpoint.class, path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(endpoint);
                    }
                })
                .build();
        try {
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException e) {
            throw new ServletException("the WebSocket upgrade failed", e);
        }
    }

    /** Configures a {@link RouterServlet}. Not thread-safe. */
    public static final class Builder {
        private final CanonicalMessageRouter router;
        private final JakartaSessions sessions;
        private UserResolver users = UserResolver.principal();
        private List<String> allowedOrigins = List.of();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

        private Builder(CanonicalMessageRouter router, JakartaSessions sessions) {
            this.router = Objects.requireNonNull(router, "router");
            this.sessions = Objects.requireNonNull(sessions, "sessions");
        }

        /**
         * Sets how the user of a handshake is found.
         *
         * @param value who opens the socket; default {@link UserResolver#principal()}
         * @return this builder
         * @throws NullPointerException when value is null
         */
        public Builder userResolver(UserResolver value) {
            this.users = Objects.requireNonNull(value, "userResolver");
            return this;
        }

        /**
         * Sets the origins allowed to open a socket besides the endpoint's own.
         *
         * @param values origins allowed to open a socket besides the endpoint's own (always allowed),
         *               as {@code scheme://host[:port]}, or {@code "*"} for any; default none: the same
         *               origin only
         * @return this builder
         * @throws NullPointerException when a value is null
         */
        public Builder allowedOrigins(String... values) {
            this.allowedOrigins = List.copyOf(Arrays.asList(values));
            return this;
        }

        /**
         * Sets the idle timeout the container applies to each socket.
         *
         * @param value the container's idle timeout; default {@link #DEFAULT_IDLE_TIMEOUT}. Keep it
         *              longer than the pool's {@code idleTimeout}, so the pool closes idle sockets
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder idleTimeout(Duration value) {
            Objects.requireNonNull(value, "idleTimeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be > 0 but was " + value);
            }
            this.idleTimeout = value;
            return this;
        }

        /**
         * Builds the servlet and makes the sessions a listener of the router's pool.
         *
         * @return the servlet, to map at the WebSocket path
         * @throws IllegalStateException when the router has no connection pool
         */
        public HttpServlet build() {
            router.connectionPool()
                    .orElseThrow(() -> new IllegalStateException("the router needs a connection pool (ConnectionPool.builder(sessions))"))
                    .addListener(sessions);
            return new RouterServlet(this);
        }
    }
}
