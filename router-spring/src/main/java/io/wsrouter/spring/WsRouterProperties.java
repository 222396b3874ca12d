package io.wsrouter.spring;

import io.wsrouter.core.MessageLimits;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the wsrouter auto-configuration, under {@code wsrouter.*}. Mutable JavaBean for Spring's
 * binder; read once at startup.
 *
 * <pre>{@code
 * wsrouter.path=/ws
 * wsrouter.allowed-origins=https://chat.example.com
 * wsrouter.idle-timeout=5m
 * wsrouter.max-connections-per-user=8
 * }</pre>
 */
@ConfigurationProperties(prefix = "wsrouter")
public class WsRouterProperties {

    /** Whether to configure the router and its WebSocket endpoint. */
    private boolean enabled = true;
    /** Path of the WebSocket endpoint. */
    private String path = "/ws";
    /** Origins allowed to open a socket besides the endpoint's own ("*" for any); empty means the same origin only. */
    private List<String> allowedOrigins = new ArrayList<>();
    /**
     * Demo opt-in: take the user id from this query parameter of the handshake instead of the
     * authenticated Principal. Anybody can then claim any user: never set it where users are real.
     */
    private String insecureUserQueryParameter;
    /** Largest inbound text frame, in bytes; also the container's text-message limit. */
    private int maxFrameBytes = MessageLimits.DEFAULT_MAX_FRAME_BYTES;
    /** How long a connection may go without inbound activity before the pool closes it (1001). */
    private Duration idleTimeout = ConnectionPool.DEFAULT_IDLE_TIMEOUT;
    /** How often the pool looks for idle connections. */
    private Duration sweepInterval = ConnectionPool.DEFAULT_SWEEP_INTERVAL;
    /** Most connections one user may hold; past it a connection gets CONNECTION_LIMIT and 1008. */
    private int maxConnectionsPerUser = ConnectionPool.DEFAULT_MAX_CONNECTIONS_PER_USER;
    /** Most frames waiting in one connection's outbound queue. */
    private int maxQueuedFrames = ConnectionPool.DEFAULT_MAX_QUEUED_FRAMES;
    /** Most UTF-8 bytes waiting in one connection's outbound queue. */
    private long maxQueuedBytes = ConnectionPool.DEFAULT_MAX_QUEUED_BYTES;
    /** What a full outbound queue does: CLOSE_CONNECTION (abort the slow peer) or DROP_OLDEST. */
    private OverflowPolicy overflowPolicy = ConnectionPool.DEFAULT_OVERFLOW_POLICY;

    /** Settings with every default; Spring's binder then sets those the environment gives. */
    public WsRouterProperties() {
    }

    /**
     * {@return whether to configure the router and its WebSocket endpoint ({@code wsrouter.enabled}); default {@code true}}
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether the router and its endpoint are configured.
     *
     * @param enabled whether to configure the router and its WebSocket endpoint ({@code wsrouter.enabled}); default {@code true}
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * {@return the path of the WebSocket endpoint ({@code wsrouter.path}); default {@code /ws}}
     */
    public String getPath() {
        return path;
    }

    /**
     * Sets the path of the WebSocket endpoint.
     *
     * @param path the path of the WebSocket endpoint ({@code wsrouter.path}); default {@code /ws}
     */
    public void setPath(String path) {
        this.path = path;
    }

    /**
     * {@return the origins allowed to open a socket besides the endpoint's own, as
     *          {@code scheme://host[:port]}, or {@code "*"} for any ({@code wsrouter.allowed-origins});
     *          default empty: the same origin only}
     */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Sets the origins allowed to open a socket besides the endpoint's own.
     *
     * @param allowedOrigins the origins allowed to open a socket besides the endpoint's own, as
     *                       {@code scheme://host[:port]}, or {@code "*"} for any ({@code wsrouter.allowed-origins});
     *                       default empty: the same origin only
     */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /**
     * {@return the handshake query parameter the user id is taken from instead of the
     *          authenticated Principal; demos only: anybody can then claim any user
     *          ({@code wsrouter.insecure-user-query-parameter}); default null: the Principal}
     */
    public String getInsecureUserQueryParameter() {
        return insecureUserQueryParameter;
    }

    /**
     * Sets the query parameter the user id is taken from, for demos.
     *
     * @param insecureUserQueryParameter the handshake query parameter the user id is taken from instead of the
     *                                   authenticated Principal; demos only: anybody can then claim any user
     *                                   ({@code wsrouter.insecure-user-query-parameter}); default null: the Principal
     */
    public void setInsecureUserQueryParameter(String insecureUserQueryParameter) {
        this.insecureUserQueryParameter = insecureUserQueryParameter;
    }

    /**
     * {@return the largest inbound text frame, in bytes, also the container's text-message limit
     *          ({@code wsrouter.max-frame-bytes}); default 65536 (64 KiB)}
     */
    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Sets the largest inbound text frame.
     *
     * @param maxFrameBytes the largest inbound text frame, in bytes, also the container's text-message limit
     *                      ({@code wsrouter.max-frame-bytes}); default 65536 (64 KiB)
     */
    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * {@return how long a connection may go without inbound activity before the pool closes it with
     *          1001 ({@code wsrouter.idle-timeout}); default 5 minutes}
     */
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /**
     * Sets how long a connection may stay idle before the pool closes it.
     *
     * @param idleTimeout how long a connection may go without inbound activity before the pool closes it with
     *                    1001 ({@code wsrouter.idle-timeout}); default 5 minutes
     */
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /**
     * {@return how often the pool looks for idle connections ({@code wsrouter.sweep-interval});
     *          default 30 seconds}
     */
    public Duration getSweepInterval() {
        return sweepInterval;
    }

    /**
     * Sets how often the pool looks for idle connections.
     *
     * @param sweepInterval how often the pool looks for idle connections ({@code wsrouter.sweep-interval});
     *                      default 30 seconds
     */
    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    /**
     * {@return the most connections one user may hold; past it a connection gets
     *          CONNECTION_LIMIT and 1008 ({@code wsrouter.max-connections-per-user}); default 32}
     */
    public int getMaxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }

    /**
     * Sets how many connections one user may hold.
     *
     * @param maxConnectionsPerUser the most connections one user may hold; past it a connection gets
     *                              CONNECTION_LIMIT and 1008 ({@code wsrouter.max-connections-per-user}); default 32
     */
    public void setMaxConnectionsPerUser(int maxConnectionsPerUser) {
        this.maxConnectionsPerUser = maxConnectionsPerUser;
    }

    /**
     * {@return the most frames waiting in one connection's outbound queue
     *          ({@code wsrouter.max-queued-frames}); default 1024}
     */
    public int getMaxQueuedFrames() {
        return maxQueuedFrames;
    }

    /**
     * Sets how many frames may wait in one connection's outbound queue.
     *
     * @param maxQueuedFrames the most frames waiting in one connection's outbound queue
     *                        ({@code wsrouter.max-queued-frames}); default 1024
     */
    public void setMaxQueuedFrames(int maxQueuedFrames) {
        this.maxQueuedFrames = maxQueuedFrames;
    }

    /**
     * {@return the most UTF-8 bytes waiting in one connection's outbound queue
     *          ({@code wsrouter.max-queued-bytes}); default 1 MiB}
     */
    public long getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * Sets how many bytes may wait in one connection's outbound queue.
     *
     * @param maxQueuedBytes the most UTF-8 bytes waiting in one connection's outbound queue
     *                       ({@code wsrouter.max-queued-bytes}); default 1 MiB
     */
    public void setMaxQueuedBytes(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /**
     * {@return what a full outbound queue does: CLOSE_CONNECTION (abort the slow peer) or DROP_OLDEST
     *          ({@code wsrouter.overflow-policy}); default CLOSE_CONNECTION}
     */
    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    /**
     * Sets what a full outbound queue does.
     *
     * @param overflowPolicy what a full outbound queue does: CLOSE_CONNECTION (abort the slow peer) or DROP_OLDEST
     *                       ({@code wsrouter.overflow-policy}); default CLOSE_CONNECTION
     */
    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }
}
