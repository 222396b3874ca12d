package io.wsrouter.quality;

import io.wsrouter.core.AgentService;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.SubDispatcher;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The quality sub-dispatcher of the canonical router: it takes over the five quality message types
 * before the handler chain, answers them with a {@link QualityGateService} and a
 * {@link QualityMonitoringService}, and pushes the monitor's alerts to the users who subscribed.
 *
 * <table>
 *   <caption>Messages and replies (all in the core envelope, with the message's {@code message_id} as
 *   {@code correlation_id})</caption>
 *   <tr><th>type</th><th>payload</th><th>reply</th></tr>
 *   <tr><td>{@code get_quality_metrics}</td><td>{@code agent_name}?, {@code period_hours}? (1-8760, default 24)</td>
 *       <td>{@code quality_metrics}: the agent report when {@code agent_name} is given, else the dashboard</td></tr>
 *   <tr><td>{@code subscribe_quality_alerts}</td><td>{@code action}? = {@code subscribe} (default) | {@code unsubscribe}</td>
 *       <td>{@code quality_alerts_subscribed} / {@code quality_alerts_unsubscribed} {@code {status}}</td></tr>
 *   <tr><td>{@code validate_content}</td><td>{@code content}, {@code content_type}?, {@code strict_mode}?, {@code context}?</td>
 *       <td>{@code content_validation_result}: the {@link ValidationResult} plus {@code content_type} and {@code strict_mode}</td></tr>
 *   <tr><td>{@code generate_quality_report}</td><td>{@code report_type}? = {@code summary} | {@code detailed}, {@code period}? = {@code day} | {@code week}</td>
 *       <td>{@code quality_report_generated} {@code {report: markdown, raw_data, timestamp}}</td></tr>
 *   <tr><td>{@code start_agent}</td><td>{@code content} / {@code message} / {@code user_request}</td>
 *       <td>the agent run's own events, then {@code quality_update}: the dashboard plus {@code response_time} (seconds to start the run)</td></tr>
 * </table>
 *
 * <p><b>Errors</b> are {@code error_message} frames with an {@link io.wsrouter.core.ErrorCode}, counted by the
 * router under that code: {@code INVALID_ACTION} (unknown {@code action}), {@code CONTENT_MISSING}
 * ({@code content} absent or empty), {@code CONTENT_TOO_LARGE} (longer than
 * {@link Builder#maxContentLength(int)}; checked before the gate scans anything), {@code UNKNOWN_REPORT_TYPE}, {@code INVALID_PAYLOAD} (a field of
 * the wrong JSON type or range), {@code AGENT_UNAVAILABLE} (no agent service, or it refused the run)
 * and {@code QUALITY_ERROR} (the gate or the monitor threw; it is logged and the next message is
 * routed as usual).
 *
 * <p><b>Alerts.</b> Every alert the monitor raises reaches every connection of every subscribed user
 * as {@code quality_alert} (the {@link QualityAlert}), through {@link CanonicalMessageRouter#emitToUser};
 * each completed monitoring cycle sends {@code quality_update} {@code {trends, alerts, timestamp}} to the
 * same users. A subscriber found with no open connection when something is sent is unsubscribed, so
 * subscriptions do not outlive their users' sessions.
 *
 * <p><b>Differences from the legacy {@code QualityMessageRouter}</b>: replies are really delivered, in the
 * core envelope ({@code data}, not {@code payload}); {@code strict_mode} is really applied; the dashboard
 * is never empty by accident; {@code start_agent} starts the run; errors carry a code instead of
 * {@code {"type":"error","message":...}}; an unknown {@code report_type} is an error instead of a report
 * of {@code {"error":...}}; the markdown report holds the real figures.
 *
 * <p><b>Lifecycle.</b> The router calls {@link #attach} once when it is built and {@link #close()} when it
 * is closed; closing stops the monitor's periodic cycle and detaches from it. A dispatcher serves one
 * router.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; messages are handled on the routing threads.
 *
 * <pre>{@code
 * QualityDispatcher quality = QualityDispatcher.builder()
 *         .gate(QualityGateService.builder().build())            // the default, shown for clarity
 *         .monitoring(QualityMonitoringService.builder().build())
 *         .build();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(pool)
 *         .agentService(agents)            // used by start_agent
 *         .quality(quality)
 *         .build();
 * quality.monitoring().start(Duration.ofMinutes(1));                      // periodic threshold alerts
 * quality.monitoring().recordQualityEvent("planner", ContentType.ACTION_PLAN, result.metrics());
 * }</pre>
 */
public interface QualityDispatcher extends SubDispatcher {

    /** The types it claims. */
    Set<String> CLAIMED_TYPES = Set.of("get_quality_metrics", "subscribe_quality_alerts", "start_agent",
            "validate_content", "generate_quality_report");

    /**
     * The longest {@code content} that {@code validate_content} accepts: 32768 characters. Longer
     * content is refused with {@code CONTENT_TOO_LARGE} before the gate scans any of it, so this is the
     * ceiling on the text one message makes the gate scan (with the context's {@code user_request},
     * which the router's frame limit bounds). The default gate's work is linear in that text (see
     * {@link QualityGateService}).
     */
    int DEFAULT_MAX_CONTENT_LENGTH = 32 * 1024;

    /**
     * Sends {@code quality_update} with the given data to every connection of every subscriber.
     * Does nothing before the dispatcher is attached to a router.
     *
     * @param update the {@code data} object; never null
     */
    void broadcastQualityUpdate(Map<String, Object> update);

    /**
     * Sends {@code quality_alert} with the given data, its {@code severity} defaulting to
     * {@code "info"}, to every connection of every subscriber. Does nothing before the dispatcher is
     * attached to a router.
     *
     * @param alert the {@code data} object; never null
     */
    void broadcastQualityAlert(Map<String, Object> alert);

    /** {@return the gate that answers {@code validate_content}} */
    QualityGateService gate();

    /** {@return the monitor that answers {@code get_quality_metrics} and {@code generate_quality_report}} */
    QualityMonitoringService monitoring();

    /** {@return a builder; every setting is optional} */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link QualityDispatcher}. Not thread-safe; the dispatcher it builds is.
     *
     * <pre>{@code
     * QualityDispatcher quality = QualityDispatcher.builder()
     *         .gate(myGate)
     *         .monitoring(myMonitor)
     *         .agentService(agents)          // else the router's
     *         .maxContentLength(16 * 1024)
     *         .build();
     * }</pre>
     */
    final class Builder {
        private QualityGateService gate;
        private QualityMonitoringService monitoring;
        private AgentService agentService;
        private Clock clock = Clock.systemUTC();
        private int maxContentLength = DEFAULT_MAX_CONTENT_LENGTH;

        private Builder() {
        }

        /**
         * Sets the gate that validates content.
         *
         * @param value the gate; default {@code QualityGateService.builder().clock(clock).build()}
         * @return this builder
         */
        public Builder gate(QualityGateService value) {
            this.gate = Objects.requireNonNull(value, "gate");
            return this;
        }

        /**
         * Sets the monitor that records events and raises alerts.
         *
         * @param value the monitor; default {@code QualityMonitoringService.builder().clock(clock).build()}
         * @return this builder
         */
        public Builder monitoring(QualityMonitoringService value) {
            this.monitoring = Objects.requireNonNull(value, "monitoring");
            return this;
        }

        /**
         * Sets the agent service that {@code start_agent} calls.
         *
         * @param value the agent service of {@code start_agent}; default the router's {@code agentService()}
         * @return this builder
         */
        public Builder agentService(AgentService value) {
            this.agentService = Objects.requireNonNull(value, "agentService");
            return this;
        }

        /**
         * Sets the clock of report timestamps and of the default gate and monitor.
         *
         * @param value the clock of report timestamps and of the default gate and monitor; default UTC system clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets the longest content {@code validate_content} accepts.
         *
         * @param value the longest {@code content} {@code validate_content} accepts, in characters;
         *              default {@value QualityDispatcher#DEFAULT_MAX_CONTENT_LENGTH}
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxContentLength(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxContentLength must be > 0 but was " + value);
            }
            this.maxContentLength = value;
            return this;
        }

        /** {@return a new dispatcher, to give to {@code CanonicalMessageRouter.Builder#quality}} */
        public QualityDispatcher build() {
            QualityGateService g = gate != null ? gate : QualityGateService.builder().clock(clock).build();
            QualityMonitoringService m = monitoring != null ? monitoring
                    : QualityMonitoringService.builder().clock(clock).build();
            return new DefaultQualityDispatcher(g, m, agentService, clock, maxContentLength);
        }
    }
}
