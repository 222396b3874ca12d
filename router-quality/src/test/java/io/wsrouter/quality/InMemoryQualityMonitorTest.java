package io.wsrouter.quality;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryQualityMonitorTest {

    private static final Instant T0 = Instant.parse("2026-11-27T16:10:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final QualityMonitoringService monitor = QualityMonitoringService.builder().clock(clock).build();
    private final List<QualityAlert> heard = new CopyOnWriteArrayList<>();

    InMemoryQualityMonitorTest() {
        monitor.addListener(heard::add);
    }

    static QualityMetrics scored(double overall) {
        return QualityMetrics.builder().overallScore(overall).build();
    }

    private void record(String agent, double... scores) {
        for (double s : scores) {
            monitor.recordQualityEvent(agent, ContentType.GENERAL, scored(s));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void emptyDashboardHasTheDocumentedShape() {
        Map<String, Object> d = monitor.dashboard();
        assertThat(d).containsOnlyKeys("overall_stats", "agent_profiles", "quality_distribution", "timestamp", "recent_alerts");
        assertThat(List.copyOf(d.keySet())).containsExactly("overall_stats", "agent_profiles", "quality_distribution",
                "timestamp", "recent_alerts");
        assertThat((Map<String, Object>) d.get("overall_stats")).containsExactly(
                Map.entry("average_quality", 0.0), Map.entry("total_events", 0),
                Map.entry("active_alerts", 0), Map.entry("critical_alerts", 0));
        assertThat((Map<String, Object>) d.get("agent_profiles")).isEmpty();
        assertThat((Map<String, Object>) d.get("quality_distribution")).isEmpty();
        assertThat(d.get("timestamp")).isEqualTo("2026-11-27T16:10:00Z");
        assertThat((List<Object>) d.get("recent_alerts")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void dashboardReflectsEventsWithoutACycle() {
        record("planner", 0.8, 0.9, 0.7);            // good, excellent, good
        record("writer", 0.5, 0.35);                 // acceptable, poor
        Map<String, Object> d = monitor.dashboard();
        Map<String, Object> stats = (Map<String, Object>) d.get("overall_stats");
        assertThat((Double) stats.get("average_quality")).isCloseTo((0.8 + 0.9 + 0.7 + 0.5 + 0.35) / 5, within(1e-12));
        assertThat(stats.get("total_events")).isEqualTo(5);
        assertThat((Map<String, Integer>) d.get("quality_distribution")).containsExactly(
                Map.entry("excellent", 1), Map.entry("good", 2), Map.entry("acceptable", 1), Map.entry("poor", 1));
        Map<String, Map<String, Object>> profiles = (Map<String, Map<String, Object>>) d.get("agent_profiles");
        assertThat(List.copyOf(profiles.keySet())).containsExactly("planner", "writer");   // by average, descending
        Map<String, Object> writer = profiles.get("writer");
        assertThat(writer.get("total_requests")).isEqualTo(2);
        assertThat((Double) writer.get("average_quality_score")).isCloseTo(0.425, within(1e-12));
        assertThat(writer.get("slop_detection_count")).isEqualTo(1);
        assertThat(writer.get("issues")).isEqualTo(List.of("Low average quality score"));
        assertThat(writer.get("recommendations")).isEqualTo(List.of(
                "Review and enhance agent prompts for specificity", "Add concrete action steps to outputs"));
        assertThat(writer).containsKeys("agent_name", "quality_distribution", "retry_count", "fallback_count",
                "average_response_time", "last_updated");
    }

    @Test
    @SuppressWarnings("unchecked")
    void dashboardShowsTheTopTenAgents() {
        for (int i = 0; i < 12; i++) {
            record("agent-" + i, 0.3 + i * 0.05);
        }
        Map<String, Object> profiles = (Map<String, Object>) monitor.dashboard().get("agent_profiles");
        assertThat(profiles).hasSize(10).doesNotContainKeys("agent-0", "agent-1").containsKey("agent-11");
    }

    @Test
    void agentReportSaysWhenThereIsNoData() {
        assertThat(monitor.agentReport("ghost", 24)).containsExactly(Map.entry("error", "No data for agent ghost"));
        record("old", 0.8);
        clock.advance(Duration.ofHours(25));
        assertThat(monitor.agentReport("old", 24)).containsExactly(Map.entry("error", "No recent data for agent old"));
        assertThat(monitor.agentReport("old", 48)).containsKey("statistics");
        assertThatThrownBy(() -> monitor.agentReport("old", 0)).hasMessage("periodHours must be > 0 but was 0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void agentReportHasStatisticsAndHourlyFigures() {
        record("planner", 0.5, 0.7);                 // in the 16:00 hour
        clock.advance(Duration.ofHours(1));
        record("planner", 0.9, 0.6);                 // in the 17:00 hour
        Map<String, Object> r = monitor.agentReport("planner", 24);
        assertThat(List.copyOf(r.keySet())).containsExactly("agent_name", "period_hours", "profile", "timestamp",
                "statistics", "hourly_stats", "recent_issues", "recommendations");
        Map<String, Object> s = (Map<String, Object>) r.get("statistics");
        // Scores 0.5, 0.6, 0.7, 0.9: mean 0.675, median (0.6 + 0.7) / 2 = 0.65,
        // sample std dev sqrt((0.175^2 + 0.075^2 + 0.025^2 + 0.225^2) / 3) = sqrt(0.0875 / 3).
        assertThat((Double) s.get("average_quality")).isCloseTo(0.675, within(1e-12));
        assertThat((Double) s.get("median_quality")).isCloseTo(0.65, within(1e-12));
        assertThat((Double) s.get("min_quality")).isCloseTo(0.5, within(1e-12));
        assertThat((Double) s.get("max_quality")).isCloseTo(0.9, within(1e-12));
        assertThat(s.get("total_events")).isEqualTo(4);
        assertThat((Double) s.get("std_dev")).isCloseTo(Math.sqrt(0.0875 / 3), within(1e-12));
        Map<String, Map<String, Object>> hourly = (Map<String, Map<String, Object>>) r.get("hourly_stats");
        assertThat(List.copyOf(hourly.keySet())).containsExactly("2026-11-27T16:00:00Z", "2026-11-27T17:00:00Z");
        assertThat((Double) hourly.get("2026-11-27T16:00:00Z").get("average")).isCloseTo(0.6, within(1e-12));
        assertThat(hourly.get("2026-11-27T17:00:00Z")).containsEntry("min", 0.6).containsEntry("max", 0.9)
                .containsEntry("count", 2);
        assertThat(r.get("period_hours")).isEqualTo(24);
    }

    @Test
    void singleEventHasZeroStandardDeviation() {
        record("solo", 0.42);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) monitor.agentReport("solo", 24).get("statistics");
        assertThat(s).containsEntry("std_dev", 0.0).containsEntry("median_quality", 0.42);
    }

    @Test
    void aCriticalFailureRaisesOneImmediateAlertThatLaterFailuresUpdate() {
        monitor.recordQualityEvent("writer", ContentType.REPORT,
                scored(0.2).toBuilder().issues(List.of("Contains 3 generic phrases")).build());
        assertThat(heard).hasSize(1);
        QualityAlert alert = heard.get(0);
        assertThat(alert.id()).isEqualTo("critical_writer_" + T0.getEpochSecond());
        assertThat(alert.severity()).isEqualTo(AlertSeverity.CRITICAL);
        assertThat(alert.metricType()).isEqualTo(MetricType.QUALITY_SCORE);
        assertThat(alert.message()).isEqualTo("Critical quality failure in writer: 0.20");
        assertThat(alert.threshold()).isEqualTo(0.3);
        assertThat(alert.details()).containsEntry("issues", List.of("Contains 3 generic phrases"));

        record("writer", 0.1);
        assertThat(heard).hasSize(1);                          // de-duplicated while unresolved
        assertThat(monitor.activeAlerts()).singleElement()
                .satisfies(a -> assertThat(a.currentValue()).isEqualTo(0.1));
        record("writer", 0.3);                                 // not below 0.3: no alert
        assertThat(monitor.activeAlerts()).hasSize(1);
    }

    @Test
    void cycleRaisesThresholdAlertsOverTheLastTwentyEvents() {
        for (int i = 0; i < 25; i++) {
            record("slow", i < 5 ? 0.9 : 0.35);               // the window is the 20 events at 0.35
        }
        monitor.runCycle();
        assertThat(heard).extracting(QualityAlert::metricType, QualityAlert::severity, QualityAlert::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(MetricType.QUALITY_SCORE, AlertSeverity.ERROR,
                                "Average quality score 0.35 for slow"),
                        org.assertj.core.groups.Tuple.tuple(MetricType.SLOP_DETECTION_RATE, AlertSeverity.CRITICAL,
                                "Slop detection rate 100.0% for slow"));
        QualityAlert mean = heard.get(0);
        assertThat(mean.threshold()).isEqualTo(0.4);
        assertThat(mean.currentValue()).isCloseTo(0.35, within(1e-12));
        assertThat(mean.id()).isEqualTo("quality_score_slow_" + T0.getEpochSecond());
        assertThat(heard.get(1).threshold()).isEqualTo(0.3);
    }

    @Test
    void cycleWarnsAboutRepeatedCircularReasoning() {
        for (int i = 0; i < 4; i++) {
            monitor.recordQualityEvent("loop", ContentType.GENERAL,
                    scored(0.8).toBuilder().circularReasoningDetected(true).build());
        }
        monitor.runCycle();
        assertThat(heard).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(AlertSeverity.WARNING);
            assertThat(a.message()).isEqualTo("Repeated circular reasoning in loop");
            assertThat(a.currentValue()).isEqualTo(4.0);
            assertThat(a.threshold()).isEqualTo(3.0);
            assertThat(a.details()).containsEntry("recent_count", 4L);
            assertThat(a.id()).startsWith("circular_loop_");
        });
    }

    @Test
    void aHealthyAgentRaisesNothing() {
        record("fine", 0.8, 0.75, 0.9, 0.6);
        monitor.runCycle();
        assertThat(heard).isEmpty();
        assertThat(monitor.activeAlerts()).isEmpty();
    }

    @Test
    void repeatedCyclesUpdateOpenAlertsAndSpeakAgainOnlyWhenSeverityRises() {
        record("drift", 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.45);   // mean 0.45 -> warning
        monitor.runCycle();
        monitor.runCycle();
        // Once each: the mean-score warning and the slop-rate alert (every 0.45 is "poor").
        assertThat(heard).extracting(QualityAlert::metricType, QualityAlert::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(MetricType.QUALITY_SCORE, AlertSeverity.WARNING),
                org.assertj.core.groups.Tuple.tuple(MetricType.SLOP_DETECTION_RATE, AlertSeverity.CRITICAL));
        record("drift", 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3);             // mean 0.375 -> error
        monitor.runCycle();
        assertThat(heard.stream().filter(a -> a.metricType() == MetricType.QUALITY_SCORE))
                .extracting(QualityAlert::severity).containsExactly(AlertSeverity.WARNING, AlertSeverity.ERROR);
        assertThat(monitor.activeAlerts().stream().filter(a -> a.metricType() == MetricType.QUALITY_SCORE))
                .singleElement().satisfies(a -> {
                    assertThat(a.severity()).isEqualTo(AlertSeverity.ERROR);
                    assertThat(a.id()).isEqualTo(heard.get(0).id());
                });
    }

    @Test
    void aResolvedAlertIsRaisedAfreshWhenTheConditionPersists() {
        record("drift", 0.45, 0.45, 0.45);
        monitor.runCycle();
        QualityAlert first = monitor.activeAlerts().stream()
                .filter(a -> a.metricType() == MetricType.QUALITY_SCORE).findFirst().orElseThrow();
        assertThat(monitor.acknowledgeAlert(first.id())).isTrue();
        assertThat(monitor.resolveAlert(first.id())).isTrue();
        assertThat(monitor.activeAlerts()).doesNotContain(first);
        monitor.runCycle();                                     // same second: the id gets a suffix
        QualityAlert second = monitor.activeAlerts().stream()
                .filter(a -> a.metricType() == MetricType.QUALITY_SCORE).findFirst().orElseThrow();
        assertThat(second.id()).isEqualTo(first.id() + "_2");
        assertThat(monitor.recentAlerts(10)).extracting(QualityAlert::id).contains(first.id(), second.id());
        QualityAlert firstNow = monitor.recentAlerts(10).stream().filter(a -> a.id().equals(first.id())).findFirst().orElseThrow();
        assertThat(firstNow.acknowledged()).isTrue();
        assertThat(firstNow.resolved()).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void acknowledgeAndResolveAnswerFalseForUnknownIdsAndShowInTheDashboard() {
        assertThat(monitor.acknowledgeAlert("nope")).isFalse();
        assertThat(monitor.resolveAlert("nope")).isFalse();
        record("writer", 0.1);
        Map<String, Object> stats = (Map<String, Object>) monitor.dashboard().get("overall_stats");
        assertThat(stats).containsEntry("active_alerts", 1).containsEntry("critical_alerts", 1);
        List<Map<String, Object>> recent = (List<Map<String, Object>>) monitor.dashboard().get("recent_alerts");
        assertThat(recent).singleElement().satisfies(a -> {
            assertThat(a).containsEntry("severity", "critical").containsEntry("metric_type", "quality_score")
                    .containsEntry("agent", "writer").containsEntry("timestamp", "2026-11-27T16:10:00Z")
                    .containsEntry("resolved", false);
        });
        assertThat(monitor.resolveAlert(heard.get(0).id())).isTrue();
        stats = (Map<String, Object>) monitor.dashboard().get("overall_stats");
        assertThat(stats).containsEntry("active_alerts", 0).containsEntry("critical_alerts", 0);
    }

    @Test
    void trendsCompareTheLastFiftyScoresWithTheFiftyBefore() {
        for (int i = 0; i < 60; i++) {
            record("learner", i < 10 ? 0.4 : 0.8);
        }
        record("young", 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);    // 12 events: no older window
        assertThat(monitor.trends()).isEmpty();
        monitor.runCycle();
        assertThat(monitor.trends()).singleElement().satisfies(t -> {
            assertThat(t.agent()).isEqualTo("learner");
            // recent = 50 x 0.8, older = 10 x 0.4: +100 %, forecast clamp(0.8 + 0.5 * 0.4) = 1.0.
            assertThat(t.trendDirection()).isEqualTo("improving");
            assertThat(t.changePercentage()).isCloseTo(100.0, within(1e-9));
            assertThat(t.currentAverage()).isCloseTo(0.8, within(1e-12));
            assertThat(t.previousAverage()).isCloseTo(0.4, within(1e-12));
            assertThat(t.forecastNextPeriod()).isCloseTo(1.0, within(1e-9));
            assertThat(t.confidence()).isEqualTo(0.7);
            assertThat(t.period()).isEqualTo("hour");
            assertThat(t.metricType()).isEqualTo(MetricType.QUALITY_SCORE);
        });
    }

    @Test
    void eventsAgentsAndAlertsAreBounded() {
        InMemoryQualityMonitor small = (InMemoryQualityMonitor) QualityMonitoringService.builder()
                .clock(clock).maxEventsPerAgent(100).maxAgents(2).alertHistory(10).build();
        for (int i = 0; i < 150; i++) {
            small.recordQualityEvent("a", ContentType.GENERAL, scored(0.8));
        }
        assertThat(small.bufferedEvents("a")).contains(100);
        clock.advance(Duration.ofSeconds(1));
        small.recordQualityEvent("b", ContentType.GENERAL, scored(0.8));
        clock.advance(Duration.ofSeconds(1));
        small.recordQualityEvent("c", ContentType.GENERAL, scored(0.8));   // forgets "a", the least recent
        assertThat(small.agentCount()).isEqualTo(2);
        assertThat(small.bufferedEvents("a")).isEmpty();
        for (int i = 0; i < 30; i++) {
            small.recordQualityEvent("bad", ContentType.GENERAL, scored(0.1));
            small.resolveAlert(small.activeAlerts().get(0).id());
        }
        assertThat(small.alertsKept()).isLessThanOrEqualTo(10);
        assertThat(small.recentAlerts(100)).hasSize(10);
    }

    @Test
    void subscriptionsAreASet() {
        assertThat(monitor.subscribe("u1")).isTrue();
        assertThat(monitor.subscribe("u1")).isFalse();
        assertThat(monitor.subscribers()).containsExactly("u1");
        assertThat(monitor.unsubscribe("u1")).isTrue();
        assertThat(monitor.unsubscribe("u1")).isFalse();
        assertThat(monitor.subscribers()).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotStopOthersOrTheRecording() {
        monitor.addListener(a -> {
            throw new IllegalStateException("listener bug");
        });
        record("writer", 0.1);
        assertThat(heard).hasSize(1);
        assertThat(monitor.activeAlerts()).hasSize(1);
    }

    @Test
    void periodicCyclesRunUntilStopped() throws InterruptedException {
        CountDownLatch cycles = new CountDownLatch(3);
        monitor.addListener(new QualityListener() {
            @Override
            public void alertRaised(QualityAlert alert) {
            }

            @Override
            public void cycleCompleted(List<QualityTrend> trends, List<QualityAlert> raised) {
                cycles.countDown();
            }
        });
        assertThat(monitor.isRunning()).isFalse();
        monitor.start(Duration.ofMillis(5));
        monitor.start(Duration.ofMillis(5));          // idempotent
        assertThat(monitor.isRunning()).isTrue();
        assertThat(cycles.await(30, TimeUnit.SECONDS)).isTrue();
        monitor.close();
        assertThat(monitor.isRunning()).isFalse();
        monitor.stop();                               // idempotent
        assertThatThrownBy(() -> monitor.start(Duration.ZERO)).hasMessage("interval must be > 0 but was PT0S");
    }

    @Test
    void builderRejectsBadBounds() {
        assertThatThrownBy(() -> QualityMonitoringService.builder().maxEventsPerAgent(99))
                .hasMessage("maxEventsPerAgent must be >= 100 but was 99");
        assertThatThrownBy(() -> QualityMonitoringService.builder().maxAgents(0))
                .hasMessage("maxAgents must be > 0 but was 0");
        assertThatThrownBy(() -> QualityMonitoringService.builder().alertHistory(9))
                .hasMessage("alertHistory must be >= 10 but was 9");
    }
}
