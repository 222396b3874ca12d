package io.wsrouter.demo;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wsrouter.core.Broker;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.DeliveryStatistics;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import io.wsrouter.jetty.JettyRouterEndpoint;
import io.wsrouter.micrometer.WsrouterMetrics;
import io.wsrouter.quality.QualityDispatcher;
import io.wsrouter.quality.QualityMonitoringService;
import io.wsrouter.redis.ClusterPresence;
import io.wsrouter.redis.RedisBroker;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wsrouter demo: an embedded Jetty 12 server with one {@link CanonicalMessageRouter} behind a
 * WebSocket endpoint at {@code /ws}, a {@code /stats} JSON endpoint, the router's meters in the
 * Prometheus text format at {@code /metrics} (router-micrometer) and a chat page at {@code /}.
 * The router has a {@link ConnectionPool} over the Jetty sessions, a {@link QualityDispatcher} with
 * the default gate and monitor, and a deterministic demo agent. The WebSocket glue is router-jetty's
 * {@link JettyRouterEndpoint}; the demo writes none of its own.
 *
 * <p>The user of a connection is taken from the handshake query ({@code /ws?user=alice}) through the
 * explicit, insecure opt-in {@link JettyRouterEndpoint.UserResolver#insecureQueryParameter}: anyone
 * can claim any name. That is a demo shortcut: a real host authenticates the handshake (a session
 * cookie, a token) and keeps the endpoint's default, the request's Principal. The Origin check stays
 * on: only the demo's own page (or a non-browser client) can open a socket.
 *
 * <p>Run it with {@code java -jar router-demo/target/router-demo.jar [port] [--redis redis://host:port]}
 * and open {@code http://localhost:8080/?user=alice}. The port comes from the first argument, else the
 * system property {@value #PORT_PROPERTY}, else {@value #DEFAULT_PORT}; 0 picks a free port. Without
 * {@code --redis} the demo is one node with the in-memory broker; with it, the router's broker is a
 * router-redis {@link RedisBroker}, so several demo processes on the same Redis form one cluster: a
 * user's connections on every node get the same events with the same offsets, and {@code /stats}
 * shows the node id and the cluster's presence ({@code cluster}).
 *
 * <pre>{@code
 * try (DemoServer server = DemoServer.builder().port(0).stepDelay(Duration.ofMillis(20)).start()) {
 *     URI page = server.uri().resolve("/?user=alice");
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> {@link #close()} may be called from any thread; the rest is read-only.
 */
public final class DemoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);

    /** The default port: 8080. */
    public static final int DEFAULT_PORT = 8080;
    /** The default interface: {@code localhost} (the demo trusts the handshake's user name). */
    public static final String DEFAULT_HOST = "localhost";
    /** The default pause between two events of the demo agent: 350 ms, about two seconds a run. */
    public static final Duration DEFAULT_STEP_DELAY = Duration.ofMillis(350);
    /** System property for the port. */
    public static final String PORT_PROPERTY = "wsrouter.demo.port";
    /** System property for the interface to bind. */
    public static final String HOST_PROPERTY = "wsrouter.demo.host";
    /** System property for the agent's step delay, in milliseconds. */
    public static final String STEP_DELAY_PROPERTY = "wsrouter.demo.stepDelayMillis";
    /** How often the quality monitor runs its cycle (threshold alerts, then quality_update to subscribers). */
    public static final Duration QUALITY_CYCLE = Duration.ofSeconds(15);
    /** Where the WebSocket endpoint listens. */
    public static final String WEBSOCKET_PATH = "/ws";
    /** The command-line option that clusters the demo through Redis: {@code --redis redis://host:port}. */
    public static final String REDIS_OPTION = "--redis";

    private final Server server;
    private final CanonicalMessageRouter router;
    private final DemoAgentService agents;
    private final JettyRouterEndpoint endpoint;

    private DemoServer(Server server, CanonicalMessageRouter router, DemoAgentService agents, JettyRouterEndpoint endpoint) {
        this.server = server;
        this.router = router;
        this.agents = agents;
        this.endpoint = endpoint;
    }

    /** @return a builder with the defaults ({@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the demo and blocks until the JVM is stopped (Ctrl+C).
     *
     * @param args optional: the port, and {@code --redis <uri>} to cluster through that Redis
     * @throws IllegalArgumentException when the arguments are not {@code [port] [--redis <uri>]}
     * @throws Exception when the server cannot start (for example, the port is taken or Redis is down)
     */
    public static void main(String[] args) throws Exception {
        Builder builder = builder()
                .host(System.getProperty(HOST_PROPERTY, DEFAULT_HOST))
                .port(Integer.getInteger(PORT_PROPERTY, DEFAULT_PORT));
        applyArguments(builder, args);
        Long stepMillis = Long.getLong(STEP_DELAY_PROPERTY);
        if (stepMillis != null) {
            builder.stepDelay(Duration.ofMillis(stepMillis));
        }
        DemoServer demo = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        String base = "http://" + demo.host() + ":" + demo.port();
        LOG.info("wsrouter demo running: open {}/?user=alice in two tabs and {}/?user=bob in a third; "
                + "statistics at {}/stats, Prometheus metrics at {}/metrics; Ctrl+C stops", base, base, base, base);
        demo.router.broker().filter(RedisBroker.class::isInstance).map(RedisBroker.class::cast).ifPresent(redis ->
                LOG.info("clustered through Redis as node {}: start more demo servers with the same --redis", redis.nodeId()));
        demo.server.join();
    }

    /** Reads {@code [port] [--redis <uri>]} (in any order) into the builder. */
    static Builder applyArguments(Builder builder, String... args) {
        boolean portSeen = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (REDIS_OPTION.equals(arg)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(REDIS_OPTION + " needs a URI, for example " + REDIS_OPTION
                            + " redis://127.0.0.1:6379");
                }
                builder.redis(args[++i]);
            } else if (arg.startsWith(REDIS_OPTION + "=")) {
                builder.redis(arg.substring(REDIS_OPTION.length() + 1));
            } else if (!portSeen && !arg.startsWith("--")) {
                builder.port(parsePort(arg));
                portSeen = true;
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': usage [port] [" + REDIS_OPTION + " <uri>]");
            }
        }
        return builder;
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number but was '" + value + "'", e);
        }
    }

    /** @return the port the server listens on (the chosen one when started with port 0) */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** @return the interface the server listens on */
    public String host() {
        String host = ((ServerConnector) server.getConnectors()[0]).getHost();
        return host == null ? "0.0.0.0" : host;
    }

    /** @return the base URI, for example {@code http://localhost:8080/} */
    public URI uri() {
        return URI.create("http://" + host() + ":" + port() + "/");
    }

    /** @return the WebSocket endpoint at {@code /ws} (tests cut sockets through it) */
    JettyRouterEndpoint endpoint() {
        return endpoint;
    }

    /** @return the router behind {@code /ws} */
    public CanonicalMessageRouter router() {
        return router;
    }

    /**
     * Stops the agent, closes the router (its pool's shutdown closes every WebSocket with 1001
     * "server shutting down"), then stops the server. Idempotent.
     */
    @Override
    public void close() {
        try {
            agents.close();
        } finally {
            router.close();
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("the server did not stop cleanly", e);
            }
        }
    }

    static Map<String, Object> poolFigures(ConnectionRegistry pool, JettyRouterEndpoint endpoint) {
        DeliveryStatistics d = pool.deliveryStatistics();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("active_connections", pool.activeConnections());
        figures.put("connected_users", pool.connectedUsers());
        figures.put("open_sessions", endpoint.openSessions());
        figures.put("frames_sent", d.framesSent());
        figures.put("frames_queued", d.framesQueued());
        figures.put("frames_dropped", d.framesDropped());
        figures.put("send_failures", d.sendFailures());
        figures.put("connections_expired", d.connectionsExpired());
        figures.put("connections_closed_slow", d.connectionsClosedSlow());
        figures.put("connections_closed_failing", d.connectionsClosedFailing());
        return figures;
    }

    static Map<String, Object> qualityFigures(QualityMonitoringService monitor) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("subscribers", monitor.subscribers().size());
        figures.put("active_alerts", monitor.activeAlerts().size());
        figures.put("monitoring", monitor.isRunning());
        return figures;
    }

    /** The broker's figures: {@code redis: false} in memory; the node id and the cluster's presence over Redis. */
    static Map<String, Object> clusterFigures(Broker broker) {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (!(broker instanceof RedisBroker redis)) {
            figures.put("redis", false);
            return figures;
        }
        figures.put("redis", true);
        figures.put("node_id", redis.nodeId());
        figures.put("redis_reachable", redis.isRedisReachable());
        try {
            ClusterPresence presence = redis.presence();
            figures.put("nodes", presence.nodes());
            figures.put("users", presence.users());
            figures.put("connections", presence.connections());
        } catch (IllegalStateException e) {
            figures.put("presence_error", e.getMessage());
        }
        return figures;
    }

    /**
     * Configures and starts a {@link DemoServer}. Not thread-safe.
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration stepDelay = DEFAULT_STEP_DELAY;
        private Duration idleTimeout = ConnectionPool.DEFAULT_IDLE_TIMEOUT;
        private String redisUri;

        private Builder() {
        }

        /**
         * Clusters the demo: the router's broker becomes a {@link RedisBroker} on this Redis (built at
         * {@link #start()}, closed with the router), so demo servers on the same Redis share every user's
         * stream. Default: none, the single-node {@link Broker#inMemory()}.
         *
         * @param uri for example {@code redis://127.0.0.1:6379}
         * @throws IllegalArgumentException when the URI is malformed
         */
        public Builder redis(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (uri.isBlank()) {
                throw new IllegalArgumentException("redis URI must not be blank");
            }
            RedisBroker.builder(uri); // fails now, with Lettuce's message, on a malformed URI
            this.redisUri = uri;
            return this;
        }

        /** @return the Redis URI set, or null (single node); for tests of the command line */
        String redisUri() {
            return redisUri;
        }

        /** @return the port set; for tests of the command line */
        int port() {
            return port;
        }

        /**
         * @param value how long a silent connection lives before the pool removes it and its socket is
         *              closed with 1001; default 5 minutes (the page pings every 25 s). The pool's sweeper
         *              looks every 30 s, or every half of a shorter timeout.
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
         * @param value the interface to bind; default {@value #DEFAULT_HOST}
         * @throws IllegalArgumentException when blank
         */
        public Builder host(String value) {
            Objects.requireNonNull(value, "host");
            if (value.isBlank()) {
                throw new IllegalArgumentException("host must not be blank but was '" + value + "'");
            }
            this.host = value;
            return this;
        }

        /**
         * @param value the port, 0 for any free port; default {@value #DEFAULT_PORT}
         * @throws IllegalArgumentException when outside 0..65535
         */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535 but was " + value);
            }
            this.port = value;
            return this;
        }

        /**
         * @param value the pause between two events of the demo agent; default 350 ms
         * @throws IllegalArgumentException when negative
         */
        public Builder stepDelay(Duration value) {
            Objects.requireNonNull(value, "stepDelay");
            if (value.isNegative()) {
                throw new IllegalArgumentException("stepDelay must be >= 0 but was " + value);
            }
            this.stepDelay = value;
            return this;
        }

        /**
         * Builds the router and starts the server.
         *
         * @return the running server
         * @throws Exception when Jetty cannot start (the port is taken, ...); nothing is left running
         * @throws IllegalStateException when {@link #redis(String)} was set and Redis cannot be reached
         */
        public DemoServer start() throws Exception {
            // First, so an unreachable Redis leaves nothing else running.
            Broker broker = redisUri == null ? Broker.inMemory() : RedisBroker.builder(redisUri).build();
            WebSocketManager transport = JettyRouterEndpoint.newTransport();
            Duration sweep = idleTimeout.dividedBy(2).compareTo(ConnectionPool.DEFAULT_SWEEP_INTERVAL) < 0
                    ? idleTimeout.dividedBy(2) : ConnectionPool.DEFAULT_SWEEP_INTERVAL;
            ConnectionPool pool = ConnectionPool.builder(transport).idleTimeout(idleTimeout)
                    .sweepInterval(sweep.isZero() ? Duration.ofMillis(1) : sweep).build();
            QualityDispatcher quality = QualityDispatcher.builder().build();
            DemoAgentService agents = new DemoAgentService(stepDelay, quality);
            WsrouterMetrics metrics = WsrouterMetrics.builder().connectionPool(pool).quality(quality).broker(broker).build();
            CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                    .connectionPool(pool)
                    .broker(broker)
                    .agentService(agents)
                    .quality(quality)
                    .observer(new SlowRouteLog(Duration.ofSeconds(1)))
                    .observer(metrics.observer())
                    .build();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics.bindTo(registry);
            // Periodic threshold alerts and quality_update to subscribers; the router stops it on close.
            quality.monitoring().start(QUALITY_CYCLE);

            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(host);
            connector.setPort(port);
            server.addConnector(connector);
            // Demo only: the user is whoever the query says (the page's ?user=); a real host keeps the Principal.
            JettyRouterEndpoint endpoint = JettyRouterEndpoint.builder(router, transport)
                    .path(WEBSOCKET_PATH)
                    .userResolver(JettyRouterEndpoint.UserResolver.insecureQueryParameter("user"))
                    .build();
            server.setHandler(handlers(server, router, endpoint, pool, quality.monitoring(), registry, () -> clusterFigures(broker)));
            DemoServer demo = new DemoServer(server, router, agents, endpoint);
            try {
                server.start();
            } catch (Exception e) {
                demo.close();
                throw e;
            }
            return demo;
        }

        private static Handler handlers(Server server, CanonicalMessageRouter router, JettyRouterEndpoint endpoint,
                                        ConnectionRegistry pool, QualityMonitoringService monitor,
                                        PrometheusMeterRegistry registry, Supplier<Map<String, Object>> clusterFigures) {
            ContextHandler context = new ContextHandler("/");
            WebSocketUpgradeHandler ws = endpoint.upgradeHandler(server, context);
            context.setHandler(ws);

            ResourceHandler page = new ResourceHandler();
            Resource statics = ResourceFactory.of(server).newClassLoaderResource("static");
            if (statics == null) {
                throw new IllegalStateException("the page's resources (static/) are not on the class path");
            }
            page.setBaseResource(statics);
            page.setWelcomeFiles("index.html");
            page.setDirAllowed(false);
            page.setCacheControl("no-store");
            ws.setHandler(new Handler.Sequence(new StatsHandler(router, () -> poolFigures(pool, endpoint),
                    () -> qualityFigures(monitor), clusterFigures), new MetricsHandler(registry), page));
            return context;
        }
    }
}
