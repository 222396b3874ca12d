package io.wsrouter.quality;

import io.wsrouter.core.WireJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link QualityMonitoringService}: per-agent event buffers in memory, alerts in an
 * {@link AlertBook}, analytics computed on demand by {@link AgentAnalytics}.
 *
 * <p>Recording touches only the agent's own buffer (its own lock); the one shared lock is taken
 * when an agent is seen for the first time, to keep the number of agents bounded.
 */
final class InMemoryQualityMonitor implements QualityMonitoringService {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryQualityMonitor.class);

    static final int ALERT_WINDOW = 20;
    static final double IMMEDIATE_THRESHOLD = 0.3;
    /** Mean score: fires when below; tried critical, error, warning. */
    static final double[] SCORE_THRESHOLDS = {0.3, 0.4, 0.5};
    /** Slop rate: fires when above; tried critical, error, warning. */
    static final double[] SLOP_THRESHOLDS = {0.3, 0.2, 0.1};
    static final AlertSeverity[] SEVERITIES = {AlertSeverity.CRITICAL, AlertSeverity.ERROR, AlertSeverity.WARNING};
    static final int CIRCULAR_LIMIT = 3;

    /** One agent's events and when it last recorded one. */
    private static final class AgentEvents {
        final BoundedBuffer<QualityEvent> events;
        volatile Instant lastRecorded;

        AgentEvents(int capacity, Instant now) {
            this.events = new BoundedBuffer<>(capacity);
            this.lastRecorded = now;
        }
    }

    private final int maxEventsPerAgent;
    private final int maxAgents;
    private final Clock clock;
    private final ConcurrentHashMap<String, AgentEvents> agents = new ConcurrentHashMap<>();
    private final Object newAgentLock = new Object();
    private final AlertBook alerts;
    private final Set<String> subscribers = ConcurrentHashMap.newKeySet();
    private final List<QualityListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private ScheduledExecutorService scheduler;
    private volatile List<QualityTrend> trends = List.of();

    InMemoryQualityMonitor(int maxEventsPerAgent, int maxAgents, int alertHistory, Clock clock) {
        this.maxEventsPerAgent = maxEventsPerAgent;
        this.maxAgents = maxAgents;
        this.clock = clock;
        this.alerts = new AlertBook(alertHistory);
    }

    // ---------------------------------------------------------------- recording

    @Override
    public void recordQualityEvent(String agentName, ContentType contentType, QualityMetrics metrics,
                                   String userId, String threadId, String runId) {
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(metrics, "metrics");
        Instant now = clock.instant();
        QualityEvent event = QualityEvent.of(now, agentName, contentType, metrics, userId, threadId, runId);
        AgentEvents buffer = agentBuffer(agentName, now);
        buffer.events.add(event);
        buffer.lastRecorded = now;
        if (metrics.overallScore() < IMMEDIATE_THRESHOLD) {
            String message = "Critical quality failure in " + agentName + ": " + twoDecimals(metrics.overallScore());
            LOG.error(message);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("issues", metrics.issues());
            alerts.raise(agentName, AlertBook.Check.CRITICAL_FAILURE, AlertSeverity.CRITICAL, MetricType.QUALITY_SCORE,
                    message, metrics.overallScore(), IMMEDIATE_THRESHOLD, details, now)
                    .ifPresent(this::notifyAlert);
        }
    }

    private AgentEvents agentBuffer(String agent, Instant now) {
        AgentEvents buffer = agents.get(agent);
        if (buffer != null) {
            return buffer;
        }
        synchronized (newAgentLock) {
            buffer = agents.get(agent);
            if (buffer == null) {
                while (agents.size() >= maxAgents) {
                    agents.entrySet().stream()
                            .min(Comparator.comparing(e -> e.getValue().lastRecorded))
                            .ifPresent(e -> {
                                agents.remove(e.getKey());
                                LOG.debug("forgot the quality events of agent {}: more than {} agents", e.getKey(), maxAgents);
                            });
                }
                buffer = new AgentEvents(maxEventsPerAgent, now);
                agents.put(agent, buffer);
            }
            return buffer;
        }
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Map<String, Object> dashboard() {
        Instant now = clock.instant();
        double sum = 0;
        int total = 0;
        List<QualityEvent> all = new ArrayList<>();
        List<Map<String, Object>> profiles = new ArrayList<>();
        for (Map.Entry<String, AgentEvents> e : agents.entrySet()) {
            List<QualityEvent> events = e.getValue().events.all();
            if (events.isEmpty()) {
                continue;
            }
            all.addAll(events);
            for (QualityEvent event : events) {
                sum += event.qualityScore();
            }
            total += events.size();
            int from = Math.max(0, events.size() - AgentAnalytics.PROFILE_WINDOW);
            profiles.add(AgentAnalytics.profile(e.getKey(), events.subList(from, events.size()), now));
        }
        profiles.sort(Comparator.comparingDouble((Map<String, Object> p) -> (Double) p.get("average_quality_score"))
                .reversed().thenComparing(p -> (String) p.get("agent_name")));
        Map<String, Object> topProfiles = new LinkedHashMap<>();
        for (Map<String, Object> p : profiles.subList(0, Math.min(10, profiles.size()))) {
            topProfiles.put((String) p.get("agent_name"), p);
        }
        int[] counts = alerts.activeAndCritical();
        Map<String, Object> overall = new LinkedHashMap<>();
        overall.put("average_quality", total == 0 ? 0.0 : sum / total);
        overall.put("total_events", total);
        overall.put("active_alerts", counts[0]);
        overall.put("critical_alerts", counts[1]);
        Map<String, Object> dashboard = new LinkedHashMap<>();
        dashboard.put("overall_stats", overall);
        dashboard.put("agent_profiles", topProfiles);
        dashboard.put("quality_distribution", AgentAnalytics.levelCounts(all));
        dashboard.put("timestamp", now.toString());
        List<Map<String, Object>> recent = new ArrayList<>();
        for (QualityAlert alert : alerts.recent(10)) {
            recent.add(WireJson.toMap(alert));
        }
        dashboard.put("recent_alerts", recent);
        return dashboard;
    }

    @Override
    public Map<String, Object> agentReport(String agentName, int periodHours) {
        Objects.requireNonNull(agentName, "agentName");
        if (periodHours <= 0) {
            throw new IllegalArgumentException("periodHours must be > 0 but was " + periodHours);
        }
        AgentEvents buffer = agents.get(agentName);
        List<QualityEvent> last = buffer == null ? List.of() : buffer.events.last(AgentAnalytics.PROFILE_WINDOW);
        if (last.isEmpty()) {
            return Map.of("error", "No data for agent " + agentName);
        }
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofHours(periodHours));
        List<QualityEvent> recent = last.stream().filter(e -> e.timestamp().isAfter(since)).toList();
        if (recent.isEmpty()) {
            return Map.of("error", "No recent data for agent " + agentName);
        }
        Map<String, Object> profile = AgentAnalytics.profile(agentName, last, now);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("agent_name", agentName);
        report.put("period_hours", periodHours);
        report.put("profile", profile);
        report.put("timestamp", now.toString());
        report.put("statistics", AgentAnalytics.statistics(recent));
        report.put("hourly_stats", AgentAnalytics.hourly(recent));
        report.put("recent_issues", profile.get("issues"));
        report.put("recommendations", profile.get("recommendations"));
        return report;
    }

    @Override
    public List<QualityTrend> trends() {
        return trends;
    }

    @Override
    public List<QualityAlert> activeAlerts() {
        return alerts.active();
    }

    @Override
    public List<QualityAlert> recentAlerts(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 but was " + limit);
        }
        return alerts.recent(limit);
    }

    @Override
    public boolean acknowledgeAlert(String alertId) {
        Objects.requireNonNull(alertId, "alertId");
        return alerts.acknowledge(alertId);
    }

    @Override
    public boolean resolveAlert(String alertId) {
        Objects.requireNonNull(alertId, "alertId");
        return alerts.resolve(alertId);
    }

    // ---------------------------------------------------------------- subscribers and listeners

    @Override
    public boolean subscribe(String subscriberId) {
        return subscribers.add(Objects.requireNonNull(subscriberId, "subscriberId"));
    }

    @Override
    public boolean unsubscribe(String subscriberId) {
        return subscribers.remove(Objects.requireNonNull(subscriberId, "subscriberId"));
    }

    @Override
    public Set<String> subscribers() {
        return Set.copyOf(subscribers);
    }

    @Override
    public void addListener(QualityListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public boolean removeListener(QualityListener listener) {
        return listeners.remove(Objects.requireNonNull(listener, "listener"));
    }

    private void notifyAlert(QualityAlert alert) {
        for (QualityListener l : listeners) {
            try {
                l.alertRaised(alert);
            } catch (RuntimeException e) {
                LOG.warn("quality listener {} failed on alert {}", l, alert.id(), e);
            }
        }
    }

    // ---------------------------------------------------------------- the cycle

    @Override
    public void runCycle() {
        Instant now = clock.instant();
        List<QualityTrend> computed = new ArrayList<>();
        List<QualityAlert> raised = new ArrayList<>();
        for (Map.Entry<String, AgentEvents> e : agents.entrySet()) {
            String agent = e.getKey();
            List<QualityEvent> events = e.getValue().events.last(2 * AgentAnalytics.TREND_WINDOW);
            if (events.isEmpty()) {
                continue;
            }
            QualityTrend trend = AgentAnalytics.trend(agent, events);
            if (trend != null) {
                computed.add(trend);
            }
            checkThresholds(agent, events.subList(Math.max(0, events.size() - ALERT_WINDOW), events.size()), now)
                    .forEach(raised::add);
        }
        computed.sort(Comparator.comparing(QualityTrend::agent));
        trends = List.copyOf(computed);
        raised.forEach(this::notifyAlert);
        for (QualityListener l : listeners) {
            try {
                l.cycleCompleted(trends, List.copyOf(raised));
            } catch (RuntimeException ex) {
                LOG.warn("quality listener {} failed on a cycle", l, ex);
            }
        }
    }

    /** Section 11's per-cycle checks over one agent's window. */
    private List<QualityAlert> checkThresholds(String agent, List<QualityEvent> window, Instant now) {
        List<QualityAlert> raised = new ArrayList<>(3);
        double mean = AgentAnalytics.mean(window);
        for (int i = 0; i < SEVERITIES.length; i++) {
            if (mean < SCORE_THRESHOLDS[i]) {
                alerts.raise(agent, AlertBook.Check.MEAN_SCORE, SEVERITIES[i], MetricType.QUALITY_SCORE,
                        "Average quality score " + twoDecimals(mean) + " for " + agent, mean, SCORE_THRESHOLDS[i],
                        Map.of(), now).ifPresent(raised::add);
                break;
            }
        }
        long slop = window.stream().filter(ev -> ev.qualityLevel().isSlop()).count();
        double slopRate = (double) slop / window.size();
        for (int i = 0; i < SEVERITIES.length; i++) {
            if (slopRate > SLOP_THRESHOLDS[i]) {
                alerts.raise(agent, AlertBook.Check.SLOP_RATE, SEVERITIES[i], MetricType.SLOP_DETECTION_RATE,
                        "Slop detection rate " + String.format(Locale.ROOT, "%.1f%%", slopRate * 100) + " for " + agent,
                        slopRate, SLOP_THRESHOLDS[i], Map.of(), now).ifPresent(raised::add);
                break;
            }
        }
        long circular = window.stream().filter(QualityEvent::circularReasoning).count();
        if (circular > CIRCULAR_LIMIT) {
            alerts.raise(agent, AlertBook.Check.CIRCULAR, AlertSeverity.WARNING, MetricType.QUALITY_SCORE,
                    "Repeated circular reasoning in " + agent, circular, CIRCULAR_LIMIT,
                    Map.of("recent_count", circular), now).ifPresent(raised::add);
        }
        return raised;
    }

    @Override
    public void start(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be > 0 but was " + interval);
        }
        synchronized (lifecycle) {
            if (scheduler != null) {
                return;
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "wsrouter-quality-monitor");
                t.setDaemon(true);
                return t;
            });
            long millis = Math.max(1, interval.toMillis());
            scheduler.scheduleWithFixedDelay(this::safeCycle, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void safeCycle() {
        try {
            runCycle();
        } catch (RuntimeException e) {
            // A failing cycle must not cancel the schedule.
            LOG.warn("quality monitoring cycle failed", e);
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return scheduler != null;
        }
    }

    int agentCount() {
        return agents.size();
    }

    int alertsKept() {
        return alerts.size();
    }

    Optional<Integer> bufferedEvents(String agent) {
        return Optional.ofNullable(agents.get(agent)).map(a -> a.events.size());
    }

    static String twoDecimals(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
