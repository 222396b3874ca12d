package io.wsrouter.compat;

import io.wsrouter.events.RecordingManager;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.AgentRequest;
import io.wsrouter.core.AgentService;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.core.SubDispatcher;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.quality.QualityDispatcher;
import io.wsrouter.quality.QualityGateService;
import io.wsrouter.quality.QualityMonitoringService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The legacy {@code QualityMessageRouter} contract, over a canonical router with a pool and a quality dispatcher. */
@SuppressWarnings("removal")
class QualityMessageRouterTest {

    private static final String GOOD_REPORT = "Set max_connections to 200 and pool_timeout to 30 s: p95 latency "
            + "dropped from 850 ms to 120 ms across 3 runs. Run `ALTER SYSTEM SET max_connections = 200;` then "
            + "restart the database. Monitor the connection count for 24 hours.";

    private final RecordingManager manager = new RecordingManager();
    private final List<AgentRequest> agentRequests = new CopyOnWriteArrayList<>();
    private final AgentService supervisor = (request, run) -> {
        agentRequests.add(request);
        run.emit("agent_started", "supervisor", Map.of("status", "started"));
    };
    private QualityMonitoringService monitoring;
    private CanonicalMessageRouter canonical;
    private QualityMessageRouter router;

    @BeforeEach
    void build() {
        monitoring = QualityMonitoringService.builder().build();
        canonical = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(manager).build())
                .quality(QualityDispatcher.builder().monitoring(monitoring).build())
                .agentService(supervisor)
                .build();
        router = new QualityMessageRouter(canonical);
        canonical.registerConnection("alice", "a1");
        canonical.registerConnection("alice", "a2");
        canonical.registerConnection("bob", "b1");
    }

    @AfterEach
    void close() {
        canonical.close();
    }

    private static Map<String, Object> msg(String type, Map<String, Object> payload) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("payload", payload);
        return m;
    }

    // ---------------------------------------------------------------- handleMessage

    @Test
    void validateContentIsAnsweredWithAValidationResultOnEveryConnectionOfTheUser() {
        router.handleMessage("alice", msg("validate_content",
                Map.of("content", GOOD_REPORT, "content_type", "report", "strict_mode", true)));

        for (String connection : List.of("a1", "a2")) {
            JsonNode result = manager.last(connection);
            assertThat(result.get("type").asText()).isEqualTo("content_validation_result");
            assertThat(result.at("/data/strict_mode").asBoolean()).isTrue();
            assertThat(result.at("/data/content_type").asText()).isEqualTo("report");
            assertThat(result.at("/data/passed").isBoolean()).isTrue();
            assertThat(result.at("/data/metrics/overall_score").isNumber()).isTrue();
        }
        assertThat(manager.framesOf("b1")).isEmpty();
        assertThat(canonical.statistics().qualityMessages()).isEqualTo(1);
    }

    @Test
    void aMessageNamingAnOwnedConnectionIsAnsweredThereOnly() {
        Map<String, Object> m = msg("get_quality_metrics", Map.of());
        m.put("connection_id", "a2");
        m.put("message_id", "m-7");

        router.handleMessage("alice", m);

        assertThat(manager.framesOf("a1")).isEmpty();
        JsonNode metrics = manager.last("a2");
        assertThat(metrics.get("type").asText()).isEqualTo("quality_metrics");
        assertThat(metrics.get("correlation_id").asText()).isEqualTo("m-7");
        assertThat(metrics.get("data").size()).isPositive();
    }

    @Test
    void generateQualityReportIsAnsweredWithAMarkdownReport() {
        Map<String, Object> m = msg("generate_quality_report", Map.of("report_type", "detailed", "period", "week"));
        m.put("connection_id", "a1");

        router.handleMessage("alice", m);

        JsonNode report = manager.last("a1");
        assertThat(report.get("type").asText()).isEqualTo("quality_report_generated");
        assertThat(report.at("/data/report").asText()).startsWith("# AI Quality Report");
        assertThat(report.at("/data/raw_data/agents").isObject()).isTrue();
    }

    @Test
    void startAgentStartsTheRunThroughTheSupervisorAndThenSendsAQualityUpdate() {
        Map<String, Object> m = msg("start_agent", Map.of("content", "optimise my database"));
        m.put("thread_id", "t-1");
        m.put("connection_id", "a1");

        router.handleMessage("alice", m);

        assertThat(agentRequests).singleElement().satisfies(r -> {
            assertThat(r.userId()).isEqualTo("alice");
            assertThat(r.threadId()).isEqualTo("t-1");
            assertThat(r.content()).isEqualTo("optimise my database");
        });
        assertThat(manager.jsonOf("a1")).extracting(f -> f.get("type").asText()).contains("quality_update");
        assertThat(manager.framesOf("b1")).isEmpty();
    }

    @Test
    void anUnknownSubscriptionActionIsAnsweredWithInvalidAction() {
        router.handleMessage("alice", msg("subscribe_quality_alerts", Map.of("action", "maybe")));

        JsonNode error = manager.last("a1");
        assertThat(error.get("type").asText()).isEqualTo("error_message");
        assertThat(error.at("/data/error_code").asText()).isEqualTo(ErrorCode.INVALID_ACTION.name());
        assertThat(monitoring.subscribers()).isEmpty();
    }

    @Test
    void aNonQualityTypeGoesThroughTheCanonicalHandlerChain() {
        router.handleMessage("alice", Map.of("type", "ping"));

        assertThat(manager.last("a1").get("type").asText()).isEqualTo("pong");
        assertThat(canonical.statistics().qualityMessages()).isZero();
    }

    @Test
    void anInvalidMapSendsTheUserAnErrorAndRoutesNothing() {
        router.handleMessage("alice", Map.of("payload", Map.of()));

        assertThat(manager.last("a1").at("/data/error_code").asText()).isEqualTo(ErrorCode.MISSING_TYPE.name());
        assertThat(manager.last("a2").at("/data/error_code").asText()).isEqualTo(ErrorCode.MISSING_TYPE.name());
        assertThat(canonical.statistics().messagesRouted()).isZero();
    }

    // ---------------------------------------------------------------- broadcasts

    @Test
    void broadcastQualityUpdateReachesEveryConnectionOfEverySubscriberAndNoOneElse() {
        router.handleMessage("alice", msg("subscribe_quality_alerts", Map.of("action", "subscribe")));
        assertThat(manager.last("a1").get("type").asText()).isEqualTo("quality_alerts_subscribed");

        router.broadcastQualityUpdate(Map.of("average_quality", 0.82));

        for (String connection : List.of("a1", "a2")) {
            JsonNode update = manager.last(connection);
            assertThat(update.get("type").asText()).isEqualTo("quality_update");
            assertThat(update.at("/data/average_quality").asDouble()).isEqualTo(0.82);
        }
        assertThat(manager.framesOf("b1")).isEmpty();
    }

    @Test
    void broadcastQualityAlertDefaultsTheSeverityToInfoAndKeepsAGivenOne() {
        router.handleMessage("bob", msg("subscribe_quality_alerts", Map.of()));

        router.broadcastQualityAlert(Map.of("message", "quality dropped"));
        JsonNode first = manager.last("b1");
        router.broadcastQualityAlert(Map.of("message", "quality collapsed", "severity", "critical"));
        JsonNode second = manager.last("b1");

        assertThat(first.get("type").asText()).isEqualTo("quality_alert");
        assertThat(first.at("/data/severity").asText()).isEqualTo("info");
        assertThat(first.at("/data/message").asText()).isEqualTo("quality dropped");
        assertThat(second.at("/data/severity").asText()).isEqualTo("critical");
        assertThat(manager.framesOf("a1")).isEmpty();
    }

    @Test
    void anUnsubscribedUserGetsNoMoreBroadcasts() {
        router.handleMessage("alice", msg("subscribe_quality_alerts", Map.of()));
        router.handleMessage("alice", msg("subscribe_quality_alerts", Map.of("action", "unsubscribe")));
        int before = manager.framesOf("a1").size();

        router.broadcastQualityAlert(Map.of("message", "x"));
        router.broadcastQualityUpdate(Map.of("x", 1));

        assertThat(manager.framesOf("a1")).hasSize(before);
        assertThat(manager.last("a1").get("type").asText()).isEqualTo("quality_alerts_unsubscribed");
    }

    @Test
    void broadcastsNeedAQualityDispatcher() {
        QualityMessageRouter withoutQuality = new QualityMessageRouter(CanonicalMessageRouter.builder().build());

        assertThatIllegalStateException().isThrownBy(() -> withoutQuality.broadcastQualityUpdate(Map.of()))
                .withMessageContaining("no quality sub-dispatcher");
        assertThatIllegalStateException().isThrownBy(() -> withoutQuality.broadcastQualityAlert(Map.of()))
                .withMessageContaining("no quality sub-dispatcher");
    }

    @Test
    void broadcastsNeedTheQualityDispatcherOfRouterQuality() {
        SubDispatcher foreign = new SubDispatcher() {
            @Override
            public Set<String> claimedTypes() {
                return Set.of("validate_content");
            }

            @Override
            public boolean dispatch(RoutingContext context, Message message) {
                return true;
            }
        };
        QualityMessageRouter over = new QualityMessageRouter(CanonicalMessageRouter.builder().quality(foreign).build());

        assertThatIllegalStateException().isThrownBy(() -> over.broadcastQualityUpdate(Map.of()))
                .withMessageContaining("not an io.wsrouter.quality.QualityDispatcher");
    }

    // ---------------------------------------------------------------- construction

    @Test
    void theLegacyConstructorInstallsTheGivenGateMonitorAndSupervisor() {
        QualityGateService gate = QualityGateService.builder().build();
        QualityMonitoringService ownMonitor = QualityMonitoringService.builder().build();
        QualityMessageRouter legacy = new QualityMessageRouter(supervisor, new Object(), gate, ownMonitor);
        try {
            CanonicalMessageRouter built = legacy.canonical();
            assertThat(built.connectionPool()).isEmpty();
            assertThat(built.agentService()).containsSame(supervisor);
            assertThat(built.qualityDispatcher()).get().isInstanceOfSatisfying(QualityDispatcher.class, q -> {
                assertThat(q.gate()).isSameAs(gate);
                assertThat(q.monitoring()).isSameAs(ownMonitor);
            });

            legacy.handleMessage("carol", msg("subscribe_quality_alerts", Map.of()));
            legacy.handleMessage("carol", msg("start_agent", Map.of("content", "go")));

            assertThat(ownMonitor.subscribers()).containsExactly("carol");
            assertThat(agentRequests).singleElement().extracting(AgentRequest::userId).isEqualTo("carol");
            assertThat(built.statistics().qualityMessages()).isEqualTo(2);
        } finally {
            legacy.canonical().close();
        }
    }

    @Test
    void theLegacyConstructorUsesDefaultsForWhatIsNullAndAnswersStartAgentWithoutASupervisor() {
        QualityMessageRouter legacy = new QualityMessageRouter(null, null, null, null);
        try {
            CanonicalMessageRouter built = legacy.canonical();
            assertThat(built.agentService()).isEmpty();
            assertThat(built.qualityDispatcher()).get().isInstanceOfSatisfying(QualityDispatcher.class, q -> {
                assertThat(q.gate()).isNotNull();
                assertThat(q.monitoring()).isNotNull();
            });

            legacy.handleMessage("carol", msg("start_agent", Map.of("content", "go")));
            legacy.broadcastQualityUpdate(Map.of("x", 1));

            assertThat(built.statistics().rejectionsByCode()).containsEntry(ErrorCode.AGENT_UNAVAILABLE.name(), 1L);
        } finally {
            legacy.canonical().close();
        }
    }

    @Test
    void constructorAndMethodsRefuseNulls() {
        assertThatNullPointerException().isThrownBy(() -> new QualityMessageRouter(null)).withMessage("canonical");
        assertThatNullPointerException().isThrownBy(() -> router.handleMessage(null, Map.of())).withMessage("userId");
        assertThatNullPointerException().isThrownBy(() -> router.handleMessage("alice", null)).withMessage("message");
        assertThatNullPointerException().isThrownBy(() -> router.broadcastQualityUpdate(null)).withMessage("update");
        assertThatNullPointerException().isThrownBy(() -> router.broadcastQualityAlert(null)).withMessage("alert");
    }
}
