package io.wsrouter.jetty;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.RemovalReason;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The {@link CanonicalMessageRouter} behind a Jetty 12 WebSocket endpoint (core environment, no
 * servlet container): the whole glue between Jetty and the router, so that a backend writes none.
 *
 * <p><b>Wiring.</b> The router's connection pool writes through a transport this class creates
 * ({@link #newTransport()}), and the endpoint is built from the router and that transport:
 * <pre>{@code
 * WebSocketManager transport = JettyRouterEndpoint.newTransport();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(ConnectionPool.builder(transport).build())
 *         .build();
 * Server server = new Server(8080);
 * securityHandler.setHandler(JettyRouterEndpoint.builder(router, transport).build().upgradeHandler(server));
 * server.setHandler(securityHandler);   // your authentication: the user is the request's Principal
 * server.start();
 * router.emitToUser("alice", "agent_thinking", Map.of("reasoning", "..."));   // anywhere
 * }</pre>
 *
 * <p><b>What each socket gets</b>, in this order:
 * <ol>
 *   <li><em>Handshake.</em> A browser's {@code Origin} must be the endpoint's own origin (scheme,
 *       host and port of the request's {@code Host}) or one of {@link Builder#allowedOrigins}; another
 *       is refused with 403 before the upgrade, so a page on another site cannot open a socket with
 *       the victim's cookies (cross-site WebSocket hijacking). A handshake without {@code Origin}
 *       (not a browser: browsers always send it) passes. Then the {@link UserResolver} names the user
 *       (default: the request's authenticated {@link Principal}); no user is refused with 401. Neither
 *       refusal opens a socket.</li>
 *   <li><em>Open.</em> The socket's idle timeout is set to the pool's ({@link ConnectionPool#idleTimeout()},
 *       or {@link Builder#idleTimeout}; a silent socket is then closed with 1001 by Jetty's timer or the
 *       pool's sweeper, whichever looks first), its text and binary message limits to the router's frame limit
 *       ({@link io.wsrouter.core.MessageLimits#maxFrameBytes()}: a larger message is closed by Jetty
 *       with 1009 before it is buffered), then {@code registerConnection(user, id)} with a fresh
 *       random id. Refused ({@link ErrorCode#FORBIDDEN}, {@link ErrorCode#CONNECTION_LIMIT}): an
 *       {@code error_message} frame with that code, then close 1008. Refused because the router is
 *       closed: {@link ErrorCode#ROUTER_CLOSED}, then close 1001.</li>
 *   <li><em>Text frame:</em> {@code routeMessage(user, id, text)}. <em>Binary frame:</em> an
 *       {@code error_message} {@link ErrorCode#UNSUPPORTED_FRAME} through the pool (in order with the
 *       other frames); the socket stays open.</li>
 *   <li><em>Close or error:</em> {@code unregisterConnection(id)}.</li>
 *   <li><em>Sends</em> from the pool go through {@code Session.sendText} with a callback: the stage
 *       the pool waits on completes from Jetty's write callback, and no thread ever blocks on a socket.</li>
 *   <li><em>Removal by the pool</em> ({@link RemovalReason}): {@code UNREGISTERED} nothing (the socket
 *       is closing already, or its client sent {@code disconnect} and its next frame registers it
 *       again); {@code IDLE} close 1001 "idle timeout"; {@code SHUTDOWN} close 1001 "server shutting
 *       down"; {@code SLOW} and {@code FAILING} <em>abort</em>: the TCP connection is dropped without a
 *       closing handshake ({@code Session.disconnect()}, which closes Jetty's {@code EndPoint}),
 *       because a close frame would wait behind the write the peer stopped reading.</li>
 * </ol>
 *
 * <p><b>Thread safety:</b> the builder is not thread-safe; the endpoint is, and Jetty calls it from
 * its own threads. One transport serves one endpoint and one router.
 */
public final class JettyRouterEndpoint {

    /** The default path of the endpoint: {@value}. */
    public static final String DEFAULT_PATH = "/ws";

    private final String path;
    private final RouterCreator creator;
    private final JettySessions sessions;

    private JettyRouterEndpoint(String path, RouterCreator creator, JettySessions sessions) {
        this.path = path;
        this.creator = creator;
        this.sessions = sessions;
    }

    /**
     * Creates the transport the router's connection pool writes through: a {@link WebSocketManager}
     * over the Jetty sessions this endpoint will open. Give it to {@code ConnectionPool.builder(...)}
     * (possibly wrapped, for example to count sends) and, unwrapped, to {@link #builder}.
     *
     * @return a new transport, not yet bound to an endpoint
     */
    public static WebSocketManager newTransport() {
        return new JettySessions();
    }

    /**
     * Starts building the endpoint.
     *
     * @param router    the router; it must have a connection pool writing through {@code transport}
     * @param transport the transport from {@link #newTransport()}
     * @return a builder with the defaults: path {@value #DEFAULT_PATH}, user from the Principal, same
     *         origin only, the pool's idle timeout
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code transport} does not come from {@link #newTransport()}
     */
    public static Builder builder(CanonicalMessageRouter router, WebSocketManager transport) {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(transport, "transport");
        if (!(transport instanceof JettySessions)) {
            throw new IllegalArgumentException("transport must come from JettyRouterEndpoint.newTransport() but was "
                    + transport.getClass().getName() + " (wrap it for the pool, pass the original here)");
        }
        return new Builder(router, (JettySessions) transport);
    }

    /**
     * A Jetty handler that upgrades requests to {@link #path()} and passes the others to its child
     * ({@link WebSocketUpgradeHandler#setHandler}).
     *
     * @param server the server the handler will belong to
     * @return a new upgrade handler with this endpoint mapped
     */
    public WebSocketUpgradeHandler upgradeHandler(Server server) {
        Objects.requireNonNull(server, "server");
        return WebSocketUpgradeHandler.from(server, this::configure);
    }

    /**
     * As {@link #upgradeHandler(Server)}, for a handler placed inside a context (the path is then
     * relative to the context path).
     *
     * @param server  the server the handler will belong to
     * @param context the context the handler is placed in
     * @return a new upgrade handler with this endpoint mapped
     */
    public WebSocketUpgradeHandler upgradeHandler(Server server, ContextHandler context) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(context, "context");
        return WebSocketUpgradeHandler.from(server, context, this::configure);
    }

    /**
     * Maps this endpoint at {@link #path()} in a container the host configures itself (with other
     * mappings, say). Container-wide settings are left alone: each socket gets its own limits.
     *
     * @param container the container, typically in {@code WebSocketUpgradeHandler.from(server, container -> ...)}
     */
    public void configure(ServerWebSocketContainer container) {
        Objects.requireNonNull(container, "container").addMapping(path, creator);
    }

    /** {@return the path the endpoint is mapped at} */
    public String path() {
        return path;
    }

    /** {@return how many sockets of this endpoint are open now (a figure for statistics pages)} */
    public int openSessions() {
        return sessions.open();
    }

    /**
     * Cuts one connection now: drops its TCP connection without a closing handshake, as a network
     * failure would (an operator kicking a session, a revoked credential). The client sees 1006 and,
     * if it reconnects and sends {@code resume}, gets what it missed; the router unregisters the
     * connection when Jetty reports the socket closed. Returns at once.
     *
     * @param connectionId the connection's id (as {@code router.connectionPool().get().connectionsOf(user)} lists it)
     * @return whether a socket of that id was open at this endpoint
     */
    public boolean abort(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        return sessions.abort(connectionId);
    }

    /**
     * Names the user of a WebSocket handshake: the authentication hook. Runs on a Jetty thread before
     * the upgrade; an empty result refuses the handshake with 401 (no socket is opened); an exception
     * refuses it with 500. The user id is what the router isolates by: it must come from something
     * the client cannot forge (the server's authentication, a verified token), never from a value the
     * client merely states.
     *
     * <pre>{@code
     * JettyRouterEndpoint.builder(router, transport)
     *         .userResolver(request -> tokens.verify(request.getHeaders().get("Authorization")))
     *         .build();
     * }</pre>
     */
    @FunctionalInterface
    public interface UserResolver {

        /**
         * Finds the user of an upgrade request.
         *
         * @param request the upgrade request (headers, cookies, query, authentication state)
         * @return the authenticated user id, or empty to refuse the handshake with 401
         */
        Optional<String> resolve(ServerUpgradeRequest request);

        /**
         * The default: the name of the request's authenticated {@link Principal}, as Jetty's
         * {@code SecurityHandler} (or any handler calling {@code Request.setAuthenticationState})
         * left it; empty when the request is not authenticated.
         *
         * @return the resolver
         */
        static UserResolver principal() {
            return request -> Optional.ofNullable(Request.getAuthenticationState(request))
                    .map(Request.AuthenticationState::getUserPrincipal)
                    .map(Principal::getName)
                    .filter(name -> !name.isBlank());
        }

        /**
         * <b>Insecure, for demos and tests only:</b> the user is whatever the client writes in the
         * query parameter ({@code /ws?user=alice}), so anyone can be anyone. Values that are not 1-64
         * characters of {@code [A-Za-z0-9_.@-]} are refused.
         *
         * @param name the query parameter, for example {@code "user"}
         * @return the resolver
         */
        static UserResolver insecureQueryParameter(String name) {
            Objects.requireNonNull(name, "name");
            Pattern userName = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
            return request -> Optional.ofNullable(Request.extractQueryParameters(request).getValue(name))
                    .filter(value -> userName.matcher(value).matches());
        }
    }

    /**
     * Configures a {@link JettyRouterEndpoint}; every setting is optional. Not thread-safe.
     *
     * <pre>{@code
     * JettyRouterEndpoint endpoint = JettyRouterEndpoint.builder(router, transport)
     *         .path("/chat")
     *         .userResolver(request -> sessions.userOf(Request.getCookies(request)))
     *         .allowedOrigins("https://app.example.com")
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final CanonicalMessageRouter router;
        private final JettySessions sessions;
        private String path = DEFAULT_PATH;
        private UserResolver users = UserResolver.principal();
        private final Set<String> origins = new LinkedHashSet<>();
        private Duration idleTimeout;

        private Builder(CanonicalMessageRouter router, JettySessions sessions) {
            this.router = router;
            this.sessions = sessions;
        }

        /**
         * Sets the path the endpoint is mapped to.
         *
         * @param value the path to map, starting with {@code /}; default {@value #DEFAULT_PATH}
         * @return this builder
         * @throws IllegalArgumentException when it does not start with {@code /}
         */
        public Builder path(String value) {
            Objects.requireNonNull(value, "path");
            if (!value.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/' but was '" + value + "'");
            }
            this.path = value;
            return this;
        }

        /**
         * Sets how the user of a handshake is found.
         *
         * @param value who the user of a handshake is; default {@link UserResolver#principal()}
         * @return this builder
         */
        public Builder userResolver(UserResolver value) {
            this.users = Objects.requireNonNull(value, "userResolver");
            return this;
        }

        /**
         * Allows browser pages of other origins, besides the endpoint's own (always allowed). Each is
         * {@code scheme://host[:port]} (compared without case, default ports ignored); {@code "*"}
         * allows every origin, which only suits endpoints that authenticate without cookies. Behind a
         * proxy that terminates TLS or rewrites the host, add Jetty's {@code ForwardedRequestCustomizer}
         * so that the endpoint's own origin is the one the browser sees, or list that origin here.
         *
         * @param values the origins to allow, for example {@code "https://app.example.com"}; added to
         *               those of earlier calls; none by default
         * @return this builder
         * @throws IllegalArgumentException when one is not an origin, with the bad value
         */
        public Builder allowedOrigins(String... values) {
            Objects.requireNonNull(values, "allowedOrigins");
            for (String value : values) {
                origins.add(OriginPolicy.normaliseAllowed(value));
            }
            return this;
        }

        /**
         * Sets the idle timeout Jetty applies to each socket.
         *
         * @param value the sockets' idle timeout; default the pool's {@link ConnectionPool#idleTimeout()}
         *              (or {@link ConnectionPool#DEFAULT_IDLE_TIMEOUT} for another registry)
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder idleTimeout(Duration value) {
            Objects.requireNonNull(value, "idleTimeout");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must be > 0 but was " + value);
            }
            this.idleTimeout = value;
            return this;
        }

        /**
         * Builds the endpoint and subscribes it to the pool's removals (to close or abort sockets).
         *
         * @return the endpoint
         * @throws IllegalArgumentException when the router has no connection pool
         * @throws IllegalStateException    when the transport already serves another endpoint
         */
        public JettyRouterEndpoint build() {
            ConnectionRegistry pool = router.connectionPool().orElseThrow(() -> new IllegalArgumentException(
                    "the router has no connection pool: build it with "
                            + ".connectionPool(ConnectionPool.builder(transport).build())"));
            Duration idle = idleTimeout != null ? idleTimeout
                    : pool instanceof ConnectionPool ? ((ConnectionPool) pool).idleTimeout()
                    : ConnectionPool.DEFAULT_IDLE_TIMEOUT;
            sessions.bind();
            pool.addListener(new SocketCloser(sessions));
            SocketSettings settings = new SocketSettings(idle, router.limits().maxFrameBytes());
            RouterCreator creator = new RouterCreator(router, pool, sessions, users,
                    new OriginPolicy(List.copyOf(origins)), settings);
            return new JettyRouterEndpoint(path, creator, sessions);
        }
    }
}
