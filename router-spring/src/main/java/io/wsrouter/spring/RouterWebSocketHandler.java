package io.wsrouter.spring;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.jakarta.JakartaSessions;
import io.wsrouter.jakarta.RouterConnection;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/**
 * The canonical router as a Spring {@link WebSocketHandler} (Spring Framework 6.2 and 7, servlet
 * stack). Register it with {@link #register(WebSocketHandlerRegistry, String)}, which also installs the
 * handshake checks: the Origin against the allow-list (default: same origin; a foreign one gets HTTP
 * 403), then the {@link UserResolver} (default: the handshake's {@code Principal}; none gets HTTP 401).
 * Spring Boot apps get all of it from the auto-configuration ({@code wsrouter.*} properties).
 *
 * <p><b>Sends never block a thread.</b> Spring's {@code WebSocketSession.sendMessage} blocks the
 * caller and is not thread-safe. The router's pool writes instead through the Jakarta session under
 * Spring's {@code StandardWebSocketSession} (what Spring uses on Tomcat, Jetty and Undertow):
 * {@code getAsyncRemote().sendText(text, SendHandler)}, completed by the container, one send in flight
 * per connection (see {@link JakartaSessions}). The per-connection work is router-jakarta's
 * {@link RouterConnection}: registered on open (a refused connection gets its {@code error_message}
 * and a close with 1008), text frames routed, binary frames answered with {@code UNSUPPORTED_FRAME}
 * (the connection stays open), unregistered on close, sockets the pool removed closed by reason
 * (1001 idle / shutdown, abort when slow or failing). A session without a Jakarta session (SockJS) is
 * closed with 1011: this handler does not support it.
 *
 * <pre>{@code
 * @Configuration
 * @EnableWebSocket
 * class WebSocketConfig implements WebSocketConfigurer {
 *     public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
 *         RouterWebSocketHandler.builder(router, sessions).allowedOrigins("https://chat.example.com").build()
 *                 .register(registry, "/ws");
 *     }
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> thread-safe; the builder is not.
 */
public final class RouterWebSocketHandler implements WebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RouterWebSocketHandler.class);

    /** The handshake attribute that carries the authenticated user id to the session. */
    public static final String USER_ATTRIBUTE = RouterWebSocketHandler.class.getName() + ".user";
    private static final String CONNECTION_ATTRIBUTE = RouterWebSocketHandler.class.getName() + ".connection";
    /**
     * The container's idle timeout by default: the pool's default idle timeout plus its sweep interval,
     * so that the pool expires an idle connection (1001 "idle timeout") before the container does.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = ConnectionPool.DEFAULT_IDLE_TIMEOUT.plus(ConnectionPool.DEFAULT_SWEEP_INTERVAL);

    private final CanonicalMessageRouter router;
    private final JakartaSessions sessions;
    private final UserResolver users;
    private final List<String> allowedOrigins;
    private final Duration idleTimeout;

    private RouterWebSocketHandler(Builder b) {
        this.router = b.router;
        this.sessions = b.sessions;
        this.users = b.users;
        this.allowedOrigins = b.allowedOrigins;
        this.idleTimeout = b.idleTimeout;
    }

    /**
     * Starts building the Spring WebSocket handler that serves the router.
     *
     * @param router   the router; its pool must write through {@code sessions}
     * @param sessions the transport given to the router's pool
     * @return a builder with the defaults
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(CanonicalMessageRouter router, JakartaSessions sessions) {
        return new Builder(router, sessions);
    }

    /**
     * Registers this handler at a path with its handshake checks (Origin, then authentication).
     *
     * @param registry the registry of a {@code WebSocketConfigurer}
     * @param path     the path to map, for example {@code "/ws"}
     * @throws NullPointerException when an argument is null
     */
    public void register(WebSocketHandlerRegistry registry, String path) {
        String[] origins = allowedOrigins.toArray(new String[0]);
        registry.addHandler(this, Objects.requireNonNull(path, "path"))
                .addInterceptors(new OriginHandshakeInterceptor(allowedOrigins), new UserInterceptor(users))
                .setAllowedOrigins(origins);
    }

    /** {@return the handshake interceptors {@link #register} installs, in order, for a custom registration} */
    public List<HandshakeInterceptor> handshakeInterceptors() {
        return List.of(new OriginHandshakeInterceptor(allowedOrigins), new UserInterceptor(users));
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Session nativeSession = jakartaSession(session);
        Object user = session.getAttributes().get(USER_ATTRIBUTE);
        if (nativeSession == null || !(user instanceof String)) {
            LOG.warn("closing WebSocket session {}: {}", session.getId(),
                    nativeSession == null ? "no Jakarta WebSocket session under it (SockJS is not supported)"
                            : "no authenticated user (register the handler with register(registry, path))");
            closeQuietly(session, CloseStatus.SERVER_ERROR);
            return;
        }
        // A text frame past the router's limit is refused by the container (1009) before it is buffered.
        nativeSession.setMaxTextMessageBufferSize(router.limits().maxFrameBytes());
        nativeSession.setMaxIdleTimeout(idleTimeout.toMillis());
        RouterConnection connection = RouterConnection.open(router, sessions, (String) user, nativeSession);
        session.getAttributes().put(CONNECTION_ATTRIBUTE, connection);
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
        RouterConnection connection = connection(session);
        if (connection == null || !connection.registered()) {
            return;
        }
        if (message instanceof TextMessage) {
            connection.text(((TextMessage) message).getPayload());
        } else if (message instanceof BinaryMessage) {
            connection.binary(message.isLast());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        LOG.debug("WebSocket error on session {}", session.getId(), exception);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
        RouterConnection connection = connection(session);
        if (connection != null) {
            connection.closed();
        }
    }

    @Override
    public boolean supportsPartialMessages() {
        return false;
    }

    private static RouterConnection connection(WebSocketSession session) {
        Object connection = session.getAttributes().get(CONNECTION_ATTRIBUTE);
        return connection instanceof RouterConnection ? (RouterConnection) connection : null;
    }

    private static Session jakartaSession(WebSocketSession session) {
        WebSocketSession unwrapped = WebSocketSessionDecorator.unwrap(session);
        if (unwrapped instanceof NativeWebSocketSession) {
            return ((NativeWebSocketSession) unwrapped).getNativeSession(Session.class);
        }
        return null;
    }

    private static void closeQuietly(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("closing session {} failed", session.getId(), e);
        }
    }

    /** Refuses a handshake without a user (HTTP 401); passes the user to the session's attributes. */
    static final class UserInterceptor implements HandshakeInterceptor {
        private final UserResolver users;

        UserInterceptor(UserResolver users) {
            this.users = users;
        }

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                       WebSocketHandler wsHandler, Map<String, Object> attributes) {
            Optional<String> user = users.resolve(request);
            if (user == null || user.isEmpty()) {
                response.setStatusCode(HttpStatus.UNAUTHORIZED);
                return false;
            }
            attributes.put(USER_ATTRIBUTE, user.get());
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler wsHandler, Exception exception) {
        }
    }

    /** Configures a {@link RouterWebSocketHandler}. Not thread-safe. */
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
         */
        public Builder userResolver(UserResolver value) {
            this.users = Objects.requireNonNull(value, "userResolver");
            return this;
        }

        /**
         * Sets the origins allowed to open a socket besides the endpoint's own.
         *
         * @param values origins allowed besides the endpoint's own (always allowed), {@code "*"} for any; default none
         * @return this builder
         */
        public Builder allowedOrigins(String... values) {
            this.allowedOrigins = List.copyOf(Arrays.asList(values));
            return this;
        }

        /**
         * Sets the idle timeout the container applies to each socket.
         *
         * @param value the container's idle timeout; default {@link #DEFAULT_IDLE_TIMEOUT}; keep it
         *              longer than the pool's
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
         * Builds the handler and makes the sessions a listener of the router's pool (sockets it removes
         * are closed by reason).
         *
         * @return a new handler, to {@link RouterWebSocketHandler#register register} at a path
         * @throws IllegalStateException when the router has no connection pool
         */
        public RouterWebSocketHandler build() {
            router.connectionPool()
                    .orElseThrow(() -> new IllegalStateException("the router needs a connection pool (ConnectionPool.builder(sessions))"))
                    .addListener(sessions);
            return new RouterWebSocketHandler(this);
        }
    }
}
