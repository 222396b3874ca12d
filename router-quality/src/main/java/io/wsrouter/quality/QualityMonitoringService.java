package io.wsrouter.quality;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Watches the quality of agents' outputs over time: records one event per validated output,
 * raises {@link QualityAlert}s when an agent's quality drops, and serves the dashboard, per-agent
 * reports and trends that the {@code get_quality_metrics} and {@code generate_quality_report}
 * messages return. It also keeps the set of users subscribed to alerts
 * ({@code subscribe_quality_alerts}).
 *
 * <h2>The default monitor ({@link #builder()})</h2>
 * In memory. Per agent it keeps the last 1000 events. Alerts, over each agent's last 20 events:
 * <ul>
 *   <li>on every recorded event with an overall score below 0.3: {@code critical} quality_score
 *       ("Critical quality failure in {agent}: {score}");</li>
 *   <li>each cycle, mean score below 0.3 / 0.4 / 0.5: {@code critical} / {@code error} /
 *       {@code warning} quality_score ("Average quality score {v} for {agent}");</li>
 *   <li>each cycle, share of poor or unacceptable outputs above 0.3 / 0.2 / 0.1: {@code critical} /
 *       {@code error} / {@code warning} slop_detection_rate ("Slop detection rate {v%} for {agent}");</li>
 *   <li>each cycle, more than 3 outputs with circular reasoning: {@code warning} quality_score
 *       ("Repeated circular reasoning in {agent}").</li>
 * </ul>
 * <b>Deliberate differences from the legacy service</b> (which, at its last commit, raised no alert
 * and returned an empty dashboard):
 * <ul>
 *   <li>Alerts are de-duplicated: while an alert of the same agent and check (mean score, slop rate,
 *       circular reasoning, critical failure; that is, (agent, metric_type) with the two quality_score
 *       checks told apart) is unresolved, a repeated condition updates it (value, threshold, message,
 *       severity) instead of raising a new one; listeners hear again only when the severity rises.</li>
 *   <li>The dashboard and agent reports are computed from the buffered events when asked, so they
 *       are current without a cycle (legacy profiles existed only after a cycle).</li>
 *   <li>Everything is bounded: events per agent, the number of agents (the least recently active is
 *       forgotten first), the alert history (500), and alerts kept (open ones plus the history).</li>
 *   <li>Trends carry the agent's name.</li>
 * </ul>
 * Periodic cycles (trends, threshold alerts, then {@link QualityListener#cycleCompleted}) run only
 * after {@link #start(Duration)}, on one daemon thread; {@link #runCycle()} runs one on the caller's
 * thread.
 *
 * <h2>Data shapes</h2>
 * {@link #dashboard()}, JSON-ready (maps, lists, strings, numbers, booleans), keys in this order:
 * <pre>{@code
 * {"overall_stats": {"average_quality": 0.71, "total_events": 120, "active_alerts": 1, "critical_alerts": 0},
 *  "agent_profiles": {"planner": {"agent_name": "planner", "total_requests": 100, "average_quality_score": 0.74,
 *        "quality_distribution": {"good": 60, "acceptable": 40}, "slop_detection_count": 0, "retry_count": 0,
 *        "fallback_count": 0, "average_response_time": 0.0, "last_updated": "...Z", "issues": [], "recommendations": []}},
 *  "quality_distribution": {"good": 70, "acceptable": 50},
 *  "timestamp": "2026-11-27T16:00:00Z",
 *  "recent_alerts": [{...alert...}]}
 * }</pre>
 * {@link #agentReport(String, int)}: {@code agent_name, period_hours, profile, timestamp,
 * statistics {average_quality, median_quality, min_quality, max_quality, total_events, std_dev},
 * hourly_stats {"<hour, ISO UTC>": {average, min, max, count}}, recent_issues, recommendations}, or
 * {@code {"error": "No data for agent X"}} / {@code {"error": "No recent data for agent X"}}.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use; the default monitor
 * takes no global lock when recording events.
 *
 * <pre>{@code
 * QualityMonitoringService monitor = QualityMonitoringService.builder().build();
 * monitor.addListener(alert -> log.warn("quality alert: {}", alert.message()));
 * monitor.start(Duration.ofMinutes(1));
 * ValidationResult r = gate.validate(answer, ContentType.REPORT);
 * monitor.recordQualityEvent("ReportingSubAgent", ContentType.REPORT, r.metrics(), userId, threadId, runId);
 * Map<String, Object> dashboard = monitor.dashboard();
 * monitor.close();   // stops the cycle
 * }</pre>
 */
public interface QualityMonitoringService extends AutoCloseable {

    /** Events kept per agent: 1000. */
    int DEFAULT_MAX_EVENTS_PER_AGENT = 1000;
    /** Agents tracked: 1000. */
    int DEFAULT_MAX_AGENTS = 1000;
    /** Alerts kept in the history: 500. */
    int DEFAULT_ALERT_HISTORY = 500;
    /** The cycle interval of {@link #start()}: 60 s. */
    Duration DEFAULT_CYCLE_INTERVAL = Duration.ofSeconds(60);

    /**
     * Records the quality of one output of an agent; may raise an alert at once.
     *
     * @param agentName   the agent that produced the output; never null
     * @param contentType what the output was; never null
     * @param metrics     what the gate measured; never null
     * @param userId      the user it was for, or null
     * @param threadId    the conversation thread, or null
     * @param runId       the agent run, or null
     * @throws NullPointerException when agentName, contentType or metrics is null
     */
    void recordQualityEvent(String agentName, ContentType contentType, QualityMetrics metrics,
                            String userId, String threadId, String runId);

    /**
     * Records the quality of one output, without user, thread or run.
     *
     * @param agentName   the agent that produced the output; never null
     * @param contentType what the output was; never null
     * @param metrics     what the gate measured; never null
     * @throws NullPointerException when an argument is null
     */
    default void recordQualityEvent(String agentName, ContentType contentType, QualityMetrics metrics) {
        recordQualityEvent(agentName, contentType, metrics, null, null, null);
    }

    /** {@return the dashboard (shape in the class comment); never null, never empty} */
    Map<String, Object> dashboard();

    /**
     * Reports one agent's quality over a period that ends now.
     *
     * @param agentName   the agent; never null
     * @param periodHours the report's period, counted back from now; &gt; 0
     * @return the agent's report (shape in the class comment), or a map with one {@code error} key
     * @throws IllegalArgumentException when periodHours is not positive
     */
    Map<String, Object> agentReport(String agentName, int periodHours);

    /** {@return the trends computed by the last cycle; empty before the first} */
    List<QualityTrend> trends();

    /** {@return the unresolved alerts, oldest first; a copy} */
    List<QualityAlert> activeAlerts();

    /**
     * Lists the most recent alerts.
     *
     * @param limit how many; &ge; 0
     * @return the last {@code limit} alerts raised, oldest first, in their current state; a copy
     */
    List<QualityAlert> recentAlerts(int limit);

    /**
     * Marks an alert as acknowledged.
     *
     * @param alertId the alert's {@link QualityAlert#id()}
     * @return {@code true} when the alert exists (it is now acknowledged), {@code false} for an unknown id
     */
    boolean acknowledgeAlert(String alertId);

    /**
     * Marks an alert as resolved.
     *
     * @param alertId the alert's {@link QualityAlert#id()}
     * @return {@code true} when the alert exists (it is now resolved), {@code false} for an unknown id
     */
    boolean resolveAlert(String alertId);

    /**
     * Subscribes a user to alerts and updates.
     *
     * @param subscriberId the user id alerts are emitted to
     * @return whether the user was not subscribed before
     */
    boolean subscribe(String subscriberId);

    /**
     * Unsubscribes a user from alerts and updates.
     *
     * @param subscriberId the user id given to {@link #subscribe(String)}
     * @return whether the user was subscribed
     */
    boolean unsubscribe(String subscriberId);

    /** {@return the subscribed users; a copy} */
    Set<String> subscribers();

    /**
     * Adds a listener.
     *
     * @param listener told of alerts and cycles from now on
     */
    void addListener(QualityListener listener);

    /**
     * Removes a listener.
     *
     * @param listener the listener instance that was added
     * @return whether the listener was registered
     */
    boolean removeListener(QualityListener listener);

    /**
     * Runs one monitoring cycle on the caller's thread: trends, threshold alerts, then the listeners'
     * {@link QualityListener#cycleCompleted}.
     */
    void runCycle();

    /**
     * Runs a cycle every {@code interval} on a daemon thread until {@link #stop()}. Does nothing when
     * already running. A failing cycle is logged and the next one runs as planned.
     *
     * @param interval the pause after each cycle before the next (the first runs one interval after
     *                 the call); &gt; 0
     * @throws IllegalArgumentException when the interval is not positive
     */
    void start(Duration interval);

    /** As {@link #start(Duration)} with {@link #DEFAULT_CYCLE_INTERVAL}. */
    default void start() {
        start(DEFAULT_CYCLE_INTERVAL);
    }

    /** Stops the periodic cycle; idempotent. Recording and queries keep working. */
    void stop();

    /** {@return whether the periodic cycle runs} */
    boolean isRunning();

    /** Stops the periodic cycle. */
    @Override
    default void close() {
        stop();
    }

    /** {@return a builder for the default in-memory monitor} */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the default in-memory monitor. Not thread-safe; the monitor it builds is.
     *
     * <pre>{@code
     * QualityMonitoringService monitor = QualityMonitoringService.builder()
     *         .maxEventsPerAgent(500)
     *         .clock(Clock.systemUTC())
     *         .build();
     * }</pre>
     */
    final class Builder {
        private int maxEventsPerAgent = DEFAULT_MAX_EVENTS_PER_AGENT;
        private int maxAgents = DEFAULT_MAX_AGENTS;
        private int alertHistory = DEFAULT_ALERT_HISTORY;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets how many events are kept per agent.
         *
         * @param value events kept per agent; at least 100 (the profile window); default 1000
         * @return this builder
         * @throws IllegalArgumentException when below 100
         */
        public Builder maxEventsPerAgent(int value) {
            if (value < 100) {
                throw new IllegalArgumentException("maxEventsPerAgent must be >= 100 but was " + value);
            }
            this.maxEventsPerAgent = value;
            return this;
        }

        /**
         * Sets how many agents are tracked.
         *
         * @param value agents tracked; beyond it, the agent whose last event is oldest is forgotten; default 1000
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxAgents(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxAgents must be > 0 but was " + value);
            }
            this.maxAgents = value;
            return this;
        }

        /**
         * Sets how many alerts are kept in the history.
         *
         * @param value alerts kept in the history; default 500
         * @return this builder
         * @throws IllegalArgumentException when below 10 (the dashboard shows the last 10)
         */
        public Builder alertHistory(int value) {
            if (value < 10) {
                throw new IllegalArgumentException("alertHistory must be >= 10 but was " + value);
            }
            this.alertHistory = value;
            return this;
        }

        /**
         * Sets the clock of event and alert timestamps and report periods.
         *
         * @param value the clock of event and alert timestamps and report periods; default the UTC system clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** {@return a new monitor; its cycle is not started} */
        public QualityMonitoringService build() {
            return new InMemoryQualityMonitor(maxEventsPerAgent, maxAgents, alertHistory, clock);
        }
    }
}
