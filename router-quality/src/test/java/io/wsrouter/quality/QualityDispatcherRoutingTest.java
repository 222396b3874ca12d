package io.wsrouter.quality;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentRun;
import io.wsrouter.core.AgentService;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The five quality types end to end: a frame in through the canonical router, frames out to a recording pool. */
class QualityDispatcherRoutingTest {

    private static final Instant T0 = Instant.parse("2026-11-27T16:10:00Z");
    private static final List<String> METRIC_FIELDS = List.of("specificity_score", "actionability_score",
            "quantification_score", "relevance_score", "completeness_score", "novelty_score", "clarity_score",
            "generic_phrase_count", "circular_reasoning_detected", "hallucination_risk", "redundancy_ratio",
            "word_count", "sentence_count", "numeric_values_count", "specific_terms_count", "overall_score",
            "quality_level", "issues", "suggestions");

    private final MutableClock clock = new MutableClock(T0);
    private RecordingRegistry pool;
    private final List<AgentRequest> agentRequests = new CopyOnWriteArrayList<>();
    private final AgentService agents = (request, run) -> {
        agentRequests.add(request);
        run.emit("agent_started", "supervisor", Map.of("status", "started"));
    };
    private QualityDispatcher quality = QualityDispatcher.builder().clock(clock).build();
    private CanonicalMessageRouter router = router(quality, agents);

    /** A new router over a new recording pool (closing a router closes its pool). */
    private CanonicalMessageRouter router(QualityDispatcher dispatcher, AgentService service) {
        pool = new RecordingRegistry();
        CanonicalMessageRouter.Builder b = CanonicalMessageRouter.builder().connectionPool(pool).quality(dispatcher)
                .clock(clock);
        if (service != null) {
            b.agentService(service);
        }
        return b.build();
    }

    @AfterEach
    void close() {
        router.close();
    }

    static String frame(String type, Map<String, ?> payload, String messageId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("payload", payload);
        if (messageId != null) {
            m.put("message_id", messageId);
        }
        try {
            return RecordingRegistry.JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean send(String user, String connection, String type, Map<String, ?> payload) {
        return router.routeMessage(user, connection, frame(type, payload, "m-1"));
    }

    private void assertError(String connection, ErrorCode code) {
        JsonNode f = pool.lastTo(connection);
        assertThat(f.path("type").asText()).isEqualTo("error_message");
        assertThat(f.path("data").path("error_code").asText()).isEqualTo(code.name());
        assertThat(f.path("correlation_id").asText()).isEqualTo("m-1");
        assertThat(router.statistics().rejectionsByCode()).containsKey(code.name());
    }

    // ---------------------------------------------------------------- validate_content

    @Test
    void validateContentRepliesWithEveryMetricInTheEnvelope() {
        assertThat(send("u1", "c1", "validate_content",
                Map.of("content", GateVectorsTest.ACTION_PLAN, "content_type", "action_plan", "strict_mode", true)))
                .isTrue();
        JsonNode f = pool.lastTo("c1");
        assertThat(f.path("type").asText()).isEqualTo("content_validation_result");
        assertThat(f.path("correlation_id").asText()).isEqualTo("m-1");
        assertThat(f.path("timestamp").asText()).isEqualTo("2026-11-27T16:10:00.000Z");
        JsonNode data = f.path("data");
        assertThat(data.path("passed").asBoolean()).isTrue();
        assertThat(data.path("content_type").asText()).isEqualTo("action_plan");
        assertThat(data.path("strict_mode").asBoolean()).isTrue();
        assertThat(data.has("retry_suggested")).isTrue();
        assertThat(data.path("retry_prompt_adjustments").isNull()).isTrue();
        assertThat(data.path("fallback_response").isNull()).isTrue();
        JsonNode metrics = data.path("metrics");
        assertThat(iterableOf(metrics.fieldNames())).containsExactlyInAnyOrderElementsOf(METRIC_FIELDS);
        assertThat(metrics.path("overall_score").asDouble()).isCloseTo(0.865, within(1e-9));
        assertThat(metrics.path("quality_level").asText()).isEqualTo("good");
        assertThat(router.statistics().qualityMessages()).isEqualTo(1);
    }

    @Test
    void strictModeIsReallyApplied() {
        String plan = GateVectorsTest.ACTION_PLAN.replace("`", "");    // overall 0.83, actionability 0.9
        send("u1", "c1", "validate_content", Map.of("content", plan, "content_type", "action_plan"));
        assertThat(pool.lastTo("c1").path("data").path("passed").asBoolean()).isTrue();
        send("u1", "c1", "validate_content", Map.of("content", plan, "content_type", "action_plan", "strict_mode", true));
        JsonNode strict = pool.lastTo("c1").path("data");
        assertThat(strict.path("passed").asBoolean()).isFalse();
        assertThat(strict.path("retry_suggested").asBoolean()).isTrue();
        assertThat(strict.path("retry_prompt_adjustments").path("temperature").asDouble()).isEqualTo(0.3);
    }

    @Test
    void validateContentPassesTheContextToTheGate() {
        send("u1", "c1", "validate_content", Map.of("content", "Enable mixed precision to cut graphics card memory "
                + "consumption by 40%.", "context", Map.of("user_request", "reduce gpu memory usage")));
        assertThat(pool.lastTo("c1").path("data").path("metrics").path("relevance_score").asDouble())
                .isCloseTo(0.2 + 0.6 + 0.4 / 3, within(1e-9));
        assertThat(pool.lastTo("c1").path("data").path("content_type").asText()).isEqualTo("general");
    }

    @Test
    void validateContentRefusesMissingEmptyOrOversizedContent() {
        assertThat(send("u1", "c1", "validate_content", Map.of("content_type", "report"))).isFalse();
        assertError("c1", ErrorCode.CONTENT_MISSING);
        assertThat(send("u1", "c1", "validate_content", Map.of("content", ""))).isFalse();
        assertError("c1", ErrorCode.CONTENT_MISSING);
        assertThat(send("u1", "c1", "validate_content", Map.of("content", 42))).isFalse();
        assertError("c1", ErrorCode.INVALID_PAYLOAD);
        assertThat(send("u1", "c1", "validate_content", Map.of("content", "x", "strict_mode", "yes"))).isFalse();
        assertError("c1", ErrorCode.INVALID_PAYLOAD);
        assertThat(send("u1", "c1", "validate_content", Map.of("content", "x", "context", "nope"))).isFalse();
        assertError("c1", ErrorCode.INVALID_PAYLOAD);
        assertThat(send("u1", "c1", "validate_content",
                Map.of("content", "x".repeat(QualityDispatcher.DEFAULT_MAX_CONTENT_LENGTH + 1)))).isFalse();
        assertError("c1", ErrorCode.CONTENT_TOO_LARGE);
        assertThat(router.statistics().rejectionsByCode())
                .containsEntry("CONTENT_MISSING", 2L)
                .containsEntry("INVALID_PAYLOAD", 3L)
                .containsEntry("CONTENT_TOO_LARGE", 1L);
    }

    @Test
    void maxContentLengthIsConfigurable() {
        router.close();
        quality = QualityDispatcher.builder().maxContentLength(10).build();
        router = router(quality, null);
        assertThat(send("u1", "c1", "validate_content", Map.of("content", "0123456789"))).isTrue();
        assertThat(send("u1", "c1", "validate_content", Map.of("content", "0123456789!"))).isFalse();
        assertError("c1", ErrorCode.CONTENT_TOO_LARGE);
        assertThatThrownBy(() -> QualityDispatcher.builder().maxContentLength(0))
                .hasMessage("maxContentLength must be > 0 but was 0");
    }

    // ---------------------------------------------------------------- get_quality_metrics

    @Test
    void qualityMetricsGivesTheDashboardOrAnAgentReport() {
        quality.monitoring().recordQualityEvent("planner", ContentType.ACTION_PLAN,
                QualityMetrics.builder().overallScore(0.8).build());
        send("u1", "c1", "get_quality_metrics", Map.of());
        JsonNode dashboard = pool.lastTo("c1");
        assertThat(dashboard.path("type").asText()).isEqualTo("quality_metrics");
        assertThat(dashboard.path("data").path("overall_stats").path("total_events").asInt()).isEqualTo(1);
        assertThat(dashboard.path("data").path("agent_profiles").has("planner")).isTrue();

        send("u1", "c1", "get_quality_metrics", Map.of("agent_name", "planner", "period_hours", 48));
        JsonNode report = pool.lastTo("c1").path("data");
        assertThat(report.path("agent_name").asText()).isEqualTo("planner");
        assertThat(report.path("period_hours").asInt()).isEqualTo(48);
        assertThat(report.path("statistics").path("average_quality").asDouble()).isCloseTo(0.8, within(1e-12));

        send("u1", "c1", "get_quality_metrics", Map.of("agent_name", "ghost"));
        assertThat(pool.lastTo("c1").path("data").path("error").asText()).isEqualTo("No data for agent ghost");

        assertThat(send("u1", "c1", "get_quality_metrics", Map.of("period_hours", 0))).isFalse();
        assertError("c1", ErrorCode.INVALID_PAYLOAD);
        assertThat(send("u1", "c1", "get_quality_metrics", Map.of("period_hours", "24"))).isFalse();
        assertError("c1", ErrorCode.INVALID_PAYLOAD);
    }

    // ---------------------------------------------------------------- subscribe_quality_alerts

    @Test
    void subscribeAndUnsubscribe() {
        send("u1", "c1", "subscribe_quality_alerts", Map.of());
        JsonNode f = pool.lastTo("c1");
        assertThat(f.path("type").asText()).isEqualTo("quality_alerts_subscribed");
        assertThat(f.path("data").path("status").asText()).isEqualTo("subscribed");
        assertThat(quality.monitoring().subscribers()).containsExactly("u1");
        send("u1", "c1", "subscribe_quality_alerts", Map.of("action", "unsubscribe"));
        f = pool.lastTo("c1");
        assertThat(f.path("type").asText()).isEqualTo("quality_alerts_unsubscribed");
        assertThat(f.path("data").path("status").asText()).isEqualTo("unsubscribed");
        assertThat(quality.monitoring().subscribers()).isEmpty();
        assertThat(send("u1", "c1", "subscribe_quality_alerts", Map.of("action", "explode"))).isFalse();
        assertError("c1", ErrorCode.INVALID_ACTION);
        assertThat(send("u1", "c1", "subscribe_quality_alerts", Map.of("action", 1))).isFalse();
        assertError("c1", ErrorCode.INVALID_ACTION);
        assertThat(router.statistics().rejectionsByCode()).containsEntry("INVALID_ACTION", 2L);
    }

    @Test
    void alertsReachEveryConnectionOfEverySubscriberAndNoOneElse() {
        router.registerConnection("u1", "u1-a");
        router.registerConnection("u1", "u1-b");
        router.registerConnection("u2", "u2-a");
        router.registerConnection("u3", "u3-a");
        send("u1", "u1-a", "subscribe_quality_alerts", Map.of("action", "subscribe"));
        send("u2", "u2-a", "subscribe_quality_alerts", Map.of());

        // Ten events crossing a threshold for one agent: one immediate alert, then de-duplicated.
        for (int i = 0; i < 10; i++) {
            quality.monitoring().recordQualityEvent("writer", ContentType.REPORT,
                    QualityMetrics.builder().overallScore(0.1).build());
        }
        for (String c : List.of("u1-a", "u1-b", "u2-a")) {
            List<JsonNode> alerts = pool.framesTo(c, "quality_alert");
            assertThat(alerts).as(c).hasSize(1);
            JsonNode data = alerts.get(0).path("data");
            assertThat(data.path("severity").asText()).isEqualTo("critical");
            assertThat(data.path("metric_type").asText()).isEqualTo("quality_score");
            assertThat(data.path("agent").asText()).isEqualTo("writer");
            assertThat(data.path("message").asText()).isEqualTo("Critical quality failure in writer: 0.10");
            assertThat(data.path("timestamp").asText()).isEqualTo("2026-11-27T16:10:00Z");
            assertThat(alerts.get(0).path("timestamp").asText()).isEqualTo("2026-11-27T16:10:00.000Z");
        }
        assertThat(pool.framesTo("u3-a", "quality_alert")).isEmpty();

        // After u2 unsubscribes, a new alert reaches u1 only.
        send("u2", "u2-a", "subscribe_quality_alerts", Map.of("action", "unsubscribe"));
        quality.monitoring().recordQualityEvent("planner", ContentType.ACTION_PLAN,
                QualityMetrics.builder().overallScore(0.2).build());
        assertThat(pool.framesTo("u1-a", "quality_alert")).hasSize(2);
        assertThat(pool.framesTo("u1-b", "quality_alert")).hasSize(2);
        assertThat(pool.framesTo("u2-a", "quality_alert")).hasSize(1);
        assertThat(pool.framesTo("u3-a", "quality_alert")).isEmpty();
    }

    @Test
    void aMonitoringCycleAlertsAndUpdatesSubscribers() {
        router.registerConnection("u1", "u1-a");
        router.registerConnection("u3", "u3-a");
        send("u1", "u1-a", "subscribe_quality_alerts", Map.of());
        for (int i = 0; i < 20; i++) {
            quality.monitoring().recordQualityEvent("slow", ContentType.GENERAL,
                    QualityMetrics.builder().overallScore(0.45).build());
        }
        assertThat(pool.framesTo("u1-a", "quality_alert")).isEmpty();
        quality.monitoring().runCycle();
        assertThat(pool.framesTo("u1-a", "quality_alert")).extracting(f -> f.path("data").path("metric_type").asText())
                .containsExactly("quality_score", "slop_detection_rate");
        List<JsonNode> updates = pool.framesTo("u1-a", "quality_update");
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).path("data").path("alerts")).hasSize(2);
        assertThat(updates.get(0).path("data").has("trends")).isTrue();
        assertThat(pool.framesTo("u3-a")).isEmpty();
        quality.monitoring().runCycle();      // the condition persists: no new alert, one more update
        assertThat(pool.framesTo("u1-a", "quality_alert")).hasSize(2);
        assertThat(pool.framesTo("u1-a", "quality_update")).hasSize(2);
    }

    @Test
    void broadcastsGoToSubscribersOnly() {
        router.registerConnection("u1", "u1-a");
        router.registerConnection("u3", "u3-a");
        quality.monitoring().subscribe("u1");
        quality.broadcastQualityUpdate(Map.of("note", "hello"));
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("message", "custom");
        alert.put("severity", null);
        quality.broadcastQualityAlert(alert);
        assertThat(pool.framesTo("u1-a", "quality_update")).singleElement()
                .satisfies(f -> assertThat(f.path("data").path("note").asText()).isEqualTo("hello"));
        assertThat(pool.framesTo("u1-a", "quality_alert")).singleElement()
                .satisfies(f -> assertThat(f.path("data").path("severity").asText()).isEqualTo("info"));
        assertThat(pool.framesTo("u3-a")).isEmpty();
    }

    @Test
    void aSubscriberWithoutConnectionsIsDroppedWhenSomethingIsSent() {
        router.registerConnection("u1", "u1-a");
        send("u1", "u1-a", "subscribe_quality_alerts", Map.of());
        router.unregisterConnection("u1-a");
        quality.broadcastQualityUpdate(Map.of("n", 1));
        assertThat(quality.monitoring().subscribers()).isEmpty();
    }

    // ---------------------------------------------------------------- generate_quality_report

    @Test
    void summaryReportHoldsRealNumbers() {
        quality.monitoring().recordQualityEvent("planner", ContentType.ACTION_PLAN,
                QualityMetrics.builder().overallScore(0.8).build());
        quality.monitoring().recordQualityEvent("writer", ContentType.REPORT,
                QualityMetrics.builder().overallScore(0.2).build());
        send("u1", "c1", "generate_quality_report", Map.of());
        JsonNode f = pool.lastTo("c1");
        assertThat(f.path("type").asText()).isEqualTo("quality_report_generated");
        JsonNode data = f.path("data");
        assertThat(iterableOf(data.fieldNames())).containsExactly("report", "raw_data", "timestamp");
        String md = data.path("report").asText();
        assertThat(md).startsWith("# AI Quality Report\n\n**Generated:** 2026-11-27T16:10:00Z\n**Type:** Summary\n");
        assertThat(md).contains("## Overall Statistics\n- **Average Quality Score:** 0.50\n- **Total Events:** 2\n"
                + "- **Active Alerts:** 1\n- **Critical Alerts:** 1\n");
        assertThat(md).contains("## Quality Distribution\n- **good:** 1\n- **unacceptable:** 1\n");
        assertThat(md).contains("### planner\n- Average Score: 0.80\n- Total Requests: 1\n- Slop Detections: 0\n");
        assertThat(md).contains("### writer\n- Average Score: 0.20\n- Total Requests: 1\n- Slop Detections: 1\n"
                + "- Issues: Low average quality score\n");
        assertThat(md).contains("## Recent Alerts\n- **critical** [2026-11-27T16:10:00Z]: Critical quality failure in writer: 0.20\n");
        assertThat(data.path("raw_data").path("overall_stats").path("total_events").asInt()).isEqualTo(2);
        assertThat(data.path("timestamp").asText()).isEqualTo("2026-11-27T16:10:00Z");
    }

    @Test
    void detailedReportRendersTheSummaryAndEachAgent() {
        quality.monitoring().recordQualityEvent("DataSubAgent", ContentType.DATA_ANALYSIS,
                QualityMetrics.builder().overallScore(0.6).build());
        send("u1", "c1", "generate_quality_report", Map.of("report_type", "detailed", "period", "week"));
        JsonNode data = pool.lastTo("c1").path("data");
        String md = data.path("report").asText();
        assertThat(md).contains("**Type:** Detailed", "## Overall Statistics", "- **Total Events:** 1",
                "## Agent Details", "### DataSubAgent\n- Period: 168 h\n- Events: 1\n- Average / Median: 0.60 / 0.60\n",
                "### TriageSubAgent\n- No data for agent TriageSubAgent\n");
        JsonNode raw = data.path("raw_data");
        assertThat(iterableOf(raw.fieldNames())).containsExactly("summary", "agents");
        assertThat(iterableOf(raw.path("agents").fieldNames())).containsExactly("TriageSubAgent", "DataSubAgent",
                "OptimizationsCoreSubAgent", "ActionsToMeetGoalsSubAgent", "ReportingSubAgent");
        assertThat(raw.path("agents").path("DataSubAgent").path("period_hours").asInt()).isEqualTo(168);
    }

    @Test
    void unknownReportTypeIsAnError() {
        assertThat(send("u1", "c1", "generate_quality_report", Map.of("report_type", "weekly"))).isFalse();
        assertError("c1", ErrorCode.UNKNOWN_REPORT_TYPE);
    }

    // ---------------------------------------------------------------- start_agent

    @Test
    void startAgentStartsTheRunThenSendsAQualityUpdate() {
        assertThat(router.routeMessage("u1", "c1", "{\"type\":\"start_agent\",\"payload\":{\"user_request\":\"plan it\"},"
                + "\"thread_id\":\"t-1\",\"run_id\":\"r-1\",\"message_id\":\"m-1\"}")).isTrue();
        assertThat(agentRequests).singleElement().satisfies(r -> {
            assertThat(r.userId()).isEqualTo("u1");
            assertThat(r.connectionId()).isEqualTo("c1");
            assertThat(r.threadId()).isEqualTo("t-1");
            assertThat(r.runId()).isEqualTo("r-1");
            assertThat(r.content()).isEqualTo("plan it");
        });
        List<JsonNode> frames = pool.framesTo("c1");
        assertThat(frames).extracting(f -> f.path("type").asText()).containsExactly("agent_started", "quality_update");
        assertThat(frames.get(0).path("run_id").asText()).isEqualTo("r-1");
        assertThat(frames.get(0).path("agent_name").asText()).isEqualTo("supervisor");
        JsonNode update = frames.get(1).path("data");
        assertThat(update.has("overall_stats")).isTrue();
        assertThat(update.path("response_time").isNumber()).isTrue();
        assertThat(update.path("response_time").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(frames.get(1).path("correlation_id").asText()).isEqualTo("m-1");
    }

    @Test
    void startAgentWithoutAnAgentServiceIsUnavailable() {
        router.close();
        quality = QualityDispatcher.builder().build();
        router = router(quality, null);
        assertThat(send("u1", "c1", "start_agent", Map.of("content", "go"))).isFalse();
        assertError("c1", ErrorCode.AGENT_UNAVAILABLE);
        assertThat(pool.framesTo("c1", "quality_update")).isEmpty();
    }

    @Test
    void startAgentRefusedByTheServiceIsUnavailable() {
        router.close();
        quality = QualityDispatcher.builder().build();
        router = router(quality, (request, run) -> {
            throw new IllegalStateException("busy");
        });
        assertThat(send("u1", "c1", "start_agent", Map.of("content", "go"))).isFalse();
        assertError("c1", ErrorCode.AGENT_UNAVAILABLE);
    }

    @Test
    void theDispatchersOwnAgentServiceWinsOverTheRouters() {
        router.close();
        List<String> used = new ArrayList<>();
        quality = QualityDispatcher.builder().agentService((request, run) -> used.add("dispatcher")).build();
        router = router(quality, (request, run) -> used.add("router"));
        send("u1", "c1", "start_agent", Map.of("content", "go"));
        assertThat(used).containsExactly("dispatcher");
    }

    @Test
    void aCustomGatePlugsIn() {
        router.close();
        QualityGateService myGate = (content, type, context, strict) -> {
            QualityMetrics m = QualityMetrics.builder().overallScore(content.length() > 5 ? 0.8 : 0.2).build();
            return m.overallScore() >= 0.5 ? ValidationResult.pass(m)
                    : new ValidationResult(false, m, true, Map.of("temperature", 0.3), null);
        };
        quality = QualityDispatcher.builder().gate(myGate).build();
        router = router(quality, null);
        send("u1", "c1", "validate_content", Map.of("content", "long enough"));
        assertThat(pool.lastTo("c1").path("data").path("metrics").path("quality_level").asText()).isEqualTo("good");
        send("u1", "c1", "validate_content", Map.of("content", "short"));
        JsonNode data = pool.lastTo("c1").path("data");
        assertThat(data.path("passed").asBoolean()).isFalse();
        assertThat(data.path("metrics").path("quality_level").asText()).isEqualTo("unacceptable");
        assertThat(data.path("retry_prompt_adjustments").path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(quality.gate()).isSameAs(myGate);
    }

    // ---------------------------------------------------------------- failures

    @Test
    void aThrowingGateYieldsQualityErrorAndRoutingGoesOn() {
        router.close();
        quality = QualityDispatcher.builder().gate((content, type, context, strict) -> {
            throw new IllegalStateException("gate down");
        }).build();
        router = router(quality, agents);
        assertThat(send("u1", "c1", "validate_content", Map.of("content", "hello"))).isFalse();
        assertError("c1", ErrorCode.QUALITY_ERROR);
        assertThat(pool.lastTo("c1").path("data").path("error_message").asText()).doesNotContain("gate down");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("QUALITY_ERROR", 1L);
        // The next messages route normally.
        assertThat(send("u1", "c1", "subscribe_quality_alerts", Map.of())).isTrue();
        assertThat(pool.lastTo("c1").path("type").asText()).isEqualTo("quality_alerts_subscribed");
        assertThat(router.routeMessage("u1", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(pool.lastTo("c1").path("type").asText()).isEqualTo("pong");
    }

    @Test
    void aThrowingMonitorYieldsQualityErrorAndRoutingGoesOn() {
        router.close();
        QualityMonitoringService broken = mock(QualityMonitoringService.class);
        when(broken.dashboard()).thenThrow(new IllegalStateException("monitor down"));
        when(broken.agentReport("x", 24)).thenThrow(new IllegalStateException("monitor down"));
        quality = QualityDispatcher.builder().monitoring(broken).build();
        router = router(quality, agents);
        assertThat(send("u1", "c1", "get_quality_metrics", Map.of())).isFalse();
        assertError("c1", ErrorCode.QUALITY_ERROR);
        assertThat(send("u1", "c1", "get_quality_metrics", Map.of("agent_name", "x"))).isFalse();
        assertError("c1", ErrorCode.QUALITY_ERROR);
        assertThat(send("u1", "c1", "generate_quality_report", Map.of())).isFalse();
        assertError("c1", ErrorCode.QUALITY_ERROR);
        assertThat(router.statistics().rejectionsByCode()).containsEntry("QUALITY_ERROR", 3L);
        assertThat(send("u1", "c1", "validate_content", Map.of("content", "hello"))).isTrue();
        assertThat(pool.lastTo("c1").path("type").asText()).isEqualTo("content_validation_result");
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void claimsTheFiveQualityTypes() {
        assertThat(quality.claimedTypes()).containsExactlyInAnyOrder("get_quality_metrics", "subscribe_quality_alerts",
                "start_agent", "validate_content", "generate_quality_report");
        assertThat(quality.activeHandlers()).isEqualTo(5);
        assertThat(router.statistics().qualityHandlersActive()).isEqualTo(5);
        assertThat(router.handlerTable()).doesNotContainKey("validate_content");
    }

    @Test
    void aDispatcherServesOneRouter() {
        assertThatThrownBy(() -> CanonicalMessageRouter.builder().quality(quality).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this QualityDispatcher is already attached to another router");
    }

    @Test
    void closingTheRouterStopsTheMonitorAndDetachesFromIt() {
        router.registerConnection("u1", "u1-a");
        quality.monitoring().subscribe("u1");
        quality.monitoring().start(java.time.Duration.ofHours(1));
        router.close();
        assertThat(quality.monitoring().isRunning()).isFalse();
        quality.monitoring().recordQualityEvent("writer", ContentType.REPORT, QualityMetrics.builder().overallScore(0.1).build());
        assertThat(pool.framesTo("u1-a", "quality_alert")).isEmpty();
    }

    private static List<String> iterableOf(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
