package io.wsrouter.spring;

import io.wsrouter.core.AgentService;
import io.wsrouter.core.Broker;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.MessageLimits;
import io.wsrouter.core.RoutingObserver;
import io.wsrouter.core.SubDispatcher;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.jakarta.JakartaSessions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * Spring Boot auto-configuration (Boot 4 and 3.5, servlet web apps): with router-spring on the class
 * path, the app gets a {@link JakartaSessions} transport, a {@link ConnectionPool}, a
 * {@link CanonicalMessageRouter} and the WebSocket endpoint at {@code wsrouter.path} (default
 * {@code /ws}), with the settings of {@link WsRouterProperties}. Every bean is
 * {@link ConditionalOnMissingBean}: declare your own to replace it. From the context it takes, when
 * present: the {@link AgentService}, every {@link MessageHandler} bean (as custom handlers, in bean
 * order), a {@link SubDispatcher} (router-quality's {@code QualityDispatcher}) and an
 * {@link UserResolver} (default: the handshake's {@code Principal}), every {@link RoutingObserver}
 * bean, and a {@link Broker} bean (default: {@link Broker#inMemory()}). {@code wsrouter.enabled=false}
 * turns it off. The router closes the pool when the context closes.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({WebSocketConfigurer.class, jakarta.websocket.Session.class})
@ConditionalOnProperty(prefix = "wsrouter", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(WsRouterProperties.class)
@EnableWebSocket
public class WsRouterAutoConfiguration {

    /** Instantiated by Spring Boot's auto-configuration; apps do not create it. */
    public WsRouterAutoConfiguration() {
    }

    /**
     * The transport: the open Jakarta WebSocket sessions, by connection id.
     *
     * @return a new, empty session table
     */
    @Bean
    @ConditionalOnMissingBean
    public JakartaSessions wsrouterSessions() {
        return new JakartaSessions();
    }

    /**
     * The connection pool, with the {@code wsrouter.*} limits. Closed by the router (destroyMethod ""),
     * which owns it.
     *
     * @param sessions   the transport the pool sends through
     * @param properties the {@code wsrouter.*} settings
     * @return a new, open pool
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public ConnectionPool wsrouterConnectionPool(JakartaSessions sessions, WsRouterProperties properties) {
        return ConnectionPool.builder(sessions)
                .idleTimeout(properties.getIdleTimeout())
                .sweepInterval(properties.getSweepInterval())
                .maxConnectionsPerUser(properties.getMaxConnectionsPerUser())
                .maxQueuedFrames(properties.getMaxQueuedFrames())
                .maxQueuedBytes(properties.getMaxQueuedBytes())
                .overflowPolicy(properties.getOverflowPolicy())
                .build();
    }

    /**
     * The user event stream's broker (offsets, history, resume); closed by the router (destroyMethod "").
     *
     * @return a single-node in-memory broker with the defaults
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Broker wsrouterBroker() {
        return Broker.inMemory();
    }

    /**
     * The router, built with the pool, the broker, {@code wsrouter.max-frame-bytes} and whatever of the
     * optional beans the context has.
     *
     * @param pool         the connection pool
     * @param properties   the {@code wsrouter.*} settings
     * @param broker       the broker
     * @param agentService the host's agent service, if any
     * @param quality      the quality sub-dispatcher, if any
     * @param handlers     the custom handlers, added in bean order
     * @param observers    the routing observers, added in bean order
     * @return the router; Spring closes it with the context, and it closes the pool and the broker
     */
    @Bean
    @ConditionalOnMissingBean
    public CanonicalMessageRouter wsrouter(ConnectionPool pool, WsRouterProperties properties, Broker broker,
                                           ObjectProvider<AgentService> agentService,
                                           ObjectProvider<SubDispatcher> quality,
                                           ObjectProvider<MessageHandler> handlers,
                                           ObjectProvider<RoutingObserver> observers) {
        CanonicalMessageRouter.Builder builder = CanonicalMessageRouter.builder()
                .connectionPool(pool)
                .broker(broker)
                .limits(MessageLimits.DEFAULT.withMaxFrameBytes(properties.getMaxFrameBytes()));
        agentService.ifAvailable(builder::agentService);
        quality.ifAvailable(builder::quality);
        handlers.orderedStream().forEach(builder::customHandler);
        observers.orderedStream().forEach(builder::observer);
        return builder.build();
    }

    /**
     * The WebSocket handler, with the {@code wsrouter.*} origins and a container idle timeout of the
     * pool's idle timeout plus its sweep interval (the pool expires idle connections first).
     *
     * @param router       the router
     * @param sessions     the transport the router's pool sends through
     * @param properties   the {@code wsrouter.*} settings
     * @param userResolver who opens a socket, if the context has one; else
     *                     {@code wsrouter.insecure-user-query-parameter} when set, else the handshake's
     *                     {@code Principal}
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    public RouterWebSocketHandler wsrouterWebSocketHandler(CanonicalMessageRouter router, JakartaSessions sessions,
                                                           WsRouterProperties properties,
                                                           ObjectProvider<UserResolver> userResolver) {
        RouterWebSocketHandler.Builder builder = RouterWebSocketHandler.builder(router, sessions)
                .allowedOrigins(properties.getAllowedOrigins().toArray(new String[0]))
                // The pool expires idle connections (1001 "idle timeout"); the container is a backstop.
                .idleTimeout(properties.getIdleTimeout().plus(properties.getSweepInterval()));
        String queryUser = properties.getInsecureUserQueryParameter();
        if (queryUser != null && !queryUser.isBlank()) {
            builder.userResolver(UserResolver.insecureQueryParameter(queryUser));
        }
        userResolver.ifAvailable(builder::userResolver);
        return builder.build();
    }

    /**
     * Maps the handler at {@code wsrouter.path}.
     *
     * @param handler    the WebSocket handler
     * @param properties the {@code wsrouter.*} settings
     * @return the configurer Spring's {@code @EnableWebSocket} applies
     */
    @Bean
    @ConditionalOnMissingBean(name = "wsrouterWebSocketConfigurer")
    public WebSocketConfigurer wsrouterWebSocketConfigurer(RouterWebSocketHandler handler, WsRouterProperties properties) {
        return registry -> handler.register(registry, properties.getPath());
    }
}
