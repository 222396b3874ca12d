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

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public String getInsecureUserQueryParameter() {
        return insecureUserQueryParameter;
    }

    public void setInsecureUserQueryParameter(String insecureUserQueryParameter) {
        this.insecureUserQueryParameter = insecureUserQueryParameter;
    }

    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getSweepInterval() {
        return sweepInterval;
    }

    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    public int getMaxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }

    public void setMaxConnectionsPerUser(int maxConnectionsPerUser) {
        this.maxConnectionsPerUser = maxConnectionsPerUser;
    }

    public int getMaxQueuedFrames() {
        return maxQueuedFrames;
    }

    public void setMaxQueuedFrames(int maxQueuedFrames) {
        this.maxQueuedFrames = maxQueuedFrames;
    }

    public long getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    public void setMaxQueuedBytes(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }
}
