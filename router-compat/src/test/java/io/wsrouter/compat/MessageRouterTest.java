package io.wsrouter.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.events.ConnectionPool;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The legacy {@code MessageRouter} contract, over a canonical router with a real pool. */
@SuppressWarnings("removal")
class MessageRouterTest {

    private static final List<String> BUILTINS = List.of("ConnectionHandler", "TypingHandler", "HeartbeatHandler",
            "AgentHandler", "AgentRequestHandler", "UserMessageHandler", "JsonRpcHandler", "ErrorHandler",
            "BatchMessageHandler", "ResumeHandler");

    private final RecordingManager manager = new RecordingManager();
    private CanonicalMessageRouter canonical;
    private MessageRouter router;

    @BeforeEach
    void build() {
        canonical = CanonicalMessageRouter.builder().connectionPool(ConnectionPool.builder(manager).build()).build();
        router = new MessageRouter(canonical);
        assertThat(canonical.registerConnection("alice", "a1")).isTrue();
        assertThat(canonical.registerConnection("alice", "a2")).isTrue();
        assertThat(canonical.registerConnection("bob", "b1")).isTrue();
    }

    @AfterEach
    void close() {
        canonical.close();
    }

    private static Map<String, Object> msg(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }

    // ---------------------------------------------------------------- routeMessage

    @Test
    void routeMessageAnswersPingWithPongOnThatConnectionOnly() {
        Map<String, Object> ping = msg("ping");
        ping.put("message_id", "m-1");

        assertThat(router.routeMessage("alice", "a1", ping)).isTrue();

        JsonNode pong = manager.last("a1");
        assertThat(pong.get("type").asText()).isEqualTo("pong");
        assertThat(pong.get("correlation_id").asText()).isEqualTo("m-1");
        assertThat(manager.framesOf("a2")).isEmpty();
        assertThat(manager.framesOf("b1")).isEmpty();
    }

    @Test
    void canonicalTypesKeepTheirOwnHandlerInsteadOfTheLegacyAgentProgressRewrite() {
        assertThat(router.routeMessage("alice", "a1", msg("connect"))).isTrue();
        assertThat(router.routeMessage("alice", "a1", msg("heartbeat"))).isTrue();
        assertThat(router.routeMessage("alice", "a1", msg("typing"))).isTrue();

        List<JsonNode> frames = manager.jsonOf("a1");
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0).get("type").asText()).isEqualTo("system_message");
        assertThat(frames.get(0).at("/data/status").asText()).isEqualTo("connected");
        assertThat(frames.get(1).get("type").asText()).isEqualTo("heartbeat_ack");
        assertThat(frames.get(2).at("/data/status").asText()).isEqualTo("typing_acknowledged");
        assertThat(router.getStats().get("message_types")).isEqualTo(
                Map.of("connect", 1L, "heartbeat", 1L, "user_typing", 1L));
    }

    @Test
    void unknownTypeIsAcknowledgedAndCountedAsUnhandled() {
        assertThat(router.routeMessage("alice", "a1", msg("foo_bar"))).isTrue();

        JsonNode ack = manager.last("a1");
        assertThat(ack.get("type").asText()).isEqualTo("ack");
        assertThat(ack.at("/data/received_type").asText()).isEqualTo("foo_bar");
        assertThat(ack.at("/data/status").asText()).isEqualTo("acknowledged");
        assertThat(router.getStats()).containsEntry("unhandled_messages", 1L).containsEntry("messages_routed", 1L);
    }

    @Test
    void aMapWithoutTypeIsRejectedLikeABadFrameAsMissingType() {
        assertThat(router.routeMessage("alice", "a1", Map.of("payload", Map.of()))).isFalse();

        assertRejected("a1", ErrorCode.MISSING_TYPE);
    }

    @Test
    void aMapWhosePayloadIsNotAnObjectIsRejectedAsInvalidPayload() {
        Map<String, Object> m = msg("user_message");
        m.put("payload", List.of("not", "an", "object"));

        assertThat(router.routeMessage("alice", "a1", m)).isFalse();

        assertRejected("a1", ErrorCode.INVALID_PAYLOAD);
    }

    @Test
    void aMapWithATypeOutsideTheAllowedFormIsRejectedAsInvalidType() {
        assertThat(router.routeMessage("alice", "a1", msg("no spaces allowed"))).isFalse();

        assertRejected("a1", ErrorCode.INVALID_TYPE);
    }

    @Test
    void aMapJacksonCannotSerializeIsRejectedAsInvalidJson() {
        Map<String, Object> m = msg("user_message");
        m.put("payload", Map.of("content", new Object()));

        assertThat(router.routeMessage("alice", "a1", m)).isFalse();

        assertRejected("a1", ErrorCode.INVALID_JSON);
    }

    @Test
    void aNullMapIsRejectedAsInvalidJson() {
        assertThat(router.routeMessage("alice", "a1", null)).isFalse();

        assertRejected("a1", ErrorCode.INVALID_JSON);
    }

    private void assertRejected(String connection, ErrorCode code) {
        JsonNode error = manager.last(connection);
        assertThat(error.get("type").asText()).isEqualTo("error_message");
        assertThat(error.at("/data/error_code").asText()).isEqualTo(code.name());
        Map<String, Object> stats = router.getStats();
        assertThat(stats).containsEntry("rejected_messages", 1L).containsEntry("messages_routed", 0L);
        assertThat(stats.get("rejections_by_code")).isEqualTo(Map.of(code.name(), 1L));
    }

    @Test
    void aMessageOnAnotherUsersConnectionIsRefusedAsForbiddenAndNothingReachesIt() {
        assertThat(router.routeMessage("bob", "a1", msg("ping"))).isFalse();

        assertThat(manager.total()).isZero();
        assertThat(router.getStats().get("rejections_by_code")).isEqualTo(Map.of(ErrorCode.FORBIDDEN.name(), 1L));
    }

    @Test
    void aConnectionIdInsideTheMapIsIgnoredInFavourOfTheTransportOne() {
        Map<String, Object> ping = msg("ping");
        ping.put("connection_id", "b1");

        assertThat(router.routeMessage("alice", "a1", ping)).isTrue();

        assertThat(manager.framesOf("a1")).hasSize(1);
        assertThat(manager.framesOf("b1")).isEmpty();
    }

    @Test
    void routeMessageNeedsAUserAndAConnection() {
        assertThatNullPointerException().isThrownBy(() -> router.routeMessage(null, "a1", msg("ping")))
                .withMessage("userId");
        assertThatNullPointerException().isThrownBy(() -> router.routeMessage("alice", null, msg("ping")))
                .withMessage("connectionId");
    }

    // ---------------------------------------------------------------- handlers

    @Test
    void customHandlersRunBeforeBuiltInsAndTheFirstAddedWins() {
        NamedHandler first = NamedHandler.claiming("First", "ping");
        NamedHandler second = NamedHandler.claiming("Second", "ping");
        router.addHandler(first);
        router.addHandler(second);

        assertThat(router.routeMessage("alice", "a1", msg("ping"))).isTrue();

        JsonNode reply = manager.last("a1");
        assertThat(reply.get("type").asText()).isEqualTo("handled_by");
        assertThat(reply.at("/data/handler").asText()).isEqualTo("First");
        assertThat(manager.framesOf("a1")).hasSize(1);
        assertThat(second.calls).hasValue(0);
    }

    @Test
    void aHandlerThatDeclinesLetsTheNextOneInOrderServe() {
        MessageHandler declining = new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("ping");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) {
                return false;
            }

            @Override
            public String name() {
                return "Declining";
            }
        };
        router.addHandler(declining);

        assertThat(router.routeMessage("alice", "a1", msg("ping"))).isTrue();

        assertThat(manager.last("a1").get("type").asText()).isEqualTo("pong");
    }

    @Test
    void getHandlerOrderListsCustomHandlersInRegistrationOrderThenTheBuiltIns() {
        assertThat(router.getHandlerOrder()).isEqualTo(BUILTINS);

        router.addHandler(NamedHandler.claiming("First", "ping"));
        router.addHandler(NamedHandler.claiming("Second", "ping"));

        assertThat(router.getHandlerOrder()).startsWith("First", "Second").endsWith(BUILTINS.toArray(String[]::new))
                .hasSize(BUILTINS.size() + 2);
    }

    @Test
    void insertHandlerPutsTheHandlerAtTheIndexAmongCustomHandlers() {
        NamedHandler a = NamedHandler.claiming("A", "ping");
        NamedHandler b = NamedHandler.claiming("B", "ping");
        router.addHandler(a);
        router.addHandler(b);

        router.insertHandler(NamedHandler.claiming("Zero", "ping"), 0);
        router.insertHandler(NamedHandler.claiming("One", "ping"), 1);
        router.insertHandler(NamedHandler.claiming("PastTheEnd", "ping"), 99);
        router.insertHandler(NamedHandler.claiming("Negative", "ping"), -1);

        assertThat(router.getHandlerOrder().subList(0, 6))
                .containsExactly("Negative", "Zero", "One", "A", "B", "PastTheEnd");
        assertThat(router.routeMessage("alice", "a1", msg("ping"))).isTrue();
        assertThat(manager.last("a1").at("/data/handler").asText()).isEqualTo("Negative");
    }

    @Test
    void addAndInsertRefuseANullHandler() {
        assertThatNullPointerException().isThrownBy(() -> router.addHandler(null)).withMessage("handler");
        assertThatNullPointerException().isThrownBy(() -> router.insertHandler(null, 0)).withMessage("handler");
        assertThatNullPointerException().isThrownBy(() -> router.removeHandler(null)).withMessage("handler");
        assertThat(router.getHandlerOrder()).isEqualTo(BUILTINS);
    }

    @Test
    void addHandlerRefusesAHandlerThatClaimsNullTypes() {
        MessageHandler broken = new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return null;
            }

            @Override
            public boolean handle(RoutingContext context, Message message) {
                return true;
            }
        };

        assertThatIllegalArgumentException().isThrownBy(() -> router.addHandler(broken))
                .withMessageContaining("messageTypes()");
        assertThat(router.getHandlerOrder()).isEqualTo(BUILTINS);
    }

    @Test
    void removeHandlerReturnsWhetherItWasRegisteredAndTheBuiltInServesAgain() {
        NamedHandler custom = NamedHandler.claiming("Custom", "ping");
        router.addHandler(custom);

        assertThat(router.removeHandler(custom)).isTrue();
        assertThat(router.removeHandler(custom)).isFalse();
        assertThat(router.removeHandler(NamedHandler.claiming("Never", "ping"))).isFalse();

        assertThat(router.routeMessage("alice", "a1", msg("ping"))).isTrue();
        assertThat(manager.last("a1").get("type").asText()).isEqualTo("pong");
        assertThat(custom.calls).hasValue(0);
    }

    @Test
    void removeHandlerAlsoRemovesABuiltIn() {
        MessageHandler heartbeat = canonical.handlers().stream()
                .filter(h -> h.name().equals("HeartbeatHandler")).findFirst().orElseThrow();

        assertThat(router.removeHandler(heartbeat)).isTrue();

        assertThat(router.getHandlerOrder()).doesNotContain("HeartbeatHandler");
        assertThat(router.routeMessage("alice", "a1", msg("ping"))).isTrue();
        assertThat(manager.last("a1").get("type").asText()).isEqualTo("ack");
        assertThat(router.getStats()).containsEntry("unhandled_messages", 1L);
    }

    @Test
    void aThrowingHandlerIsCountedAndTheNextHandlerServes() {
        NamedHandler thrower = NamedHandler.throwing("Thrower", "ping");
        router.addHandler(thrower);

        assertThat(router.routeMessage("alice", "a1", msg("ping"))).isTrue();

        assertThat(manager.last("a1").get("type").asText()).isEqualTo("pong");
        Map<String, Object> stats = router.getStats();
        assertThat(stats).containsEntry("handler_errors", 1L);
        assertThat(stats.get("handler_stats")).isEqualTo(statsOf(stats, "Thrower", 0, 1));
    }

    @Test
    void aMessageOnlyAThrowingHandlerClaimsFailsWithHandlerError() {
        router.addHandler(NamedHandler.throwing("Thrower", "custom_type"));

        assertThat(router.routeMessage("alice", "a1", msg("custom_type"))).isFalse();

        assertThat(manager.last("a1").at("/data/error_code").asText()).isEqualTo(ErrorCode.HANDLER_ERROR.name());
        assertThat(router.getStats()).containsEntry("handler_errors", 1L);
    }

    /** @return the handler_stats map with one entry replaced, to compare whole maps */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> statsOf(Map<String, Object> stats, String name, long handled, long errors) {
        Map<String, Object> expected = new HashMap<>((Map<String, Object>) stats.get("handler_stats"));
        expected.put(name, Map.of("handled", handled, "errors", errors));
        return expected;
    }

    // ---------------------------------------------------------------- statistics

    @Test
    void getStatsHasTheLegacyKeysWithTheFiguresOfTheRoutedMessages() {
        router.addHandler(NamedHandler.claiming("Custom", "chat"));
        router.routeMessage("alice", "a1", msg("ping"));
        router.routeMessage("alice", "a1", msg("ping"));
        router.routeMessage("alice", "a1", msg("chat"));
        router.routeMessage("alice", "a1", msg("foo_bar"));
        router.routeMessage("alice", "a1", Map.of());

        Map<String, Object> stats = router.getStats();

        assertThat(stats).containsKeys("messages_routed", "unhandled_messages", "handler_errors", "message_types",
                "handler_stats", "handler_order", "handler_count", "handler_status");
        assertThat(stats).containsEntry("messages_routed", 4L).containsEntry("unhandled_messages", 1L)
                .containsEntry("handler_errors", 0L).containsEntry("rejected_messages", 1L)
                .containsEntry("handler_count", BUILTINS.size() + 1)
                .containsEntry("handler_order", router.getHandlerOrder())
                .containsEntry("active_connections", 3).containsEntry("connected_users", 2);
        assertThat(stats.get("message_types")).isEqualTo(Map.of("ping", 2L, "chat", 1L, "unknown", 1L));
        assertThat(stats.get("handler_stats")).isEqualTo(statsOf(stats, "HeartbeatHandler", 2, 0));
        assertThat(stats.get("handler_stats")).isEqualTo(statsOf(stats, "Custom", 1, 0));
        assertThat(stats.get("handler_status")).isInstanceOfSatisfying(Map.class,
                status -> assertThat(status.get("status")).isEqualTo("initializing"));
    }

    // ---------------------------------------------------------------- handleMessage

    @Test
    void handleMessageRoutesWithoutAConnectionAndRepliesToEveryConnectionOfTheUser() {
        router.handleMessage("alice", msg("ping"));

        assertThat(manager.last("a1").get("type").asText()).isEqualTo("pong");
        assertThat(manager.last("a2").get("type").asText()).isEqualTo("pong");
        assertThat(manager.framesOf("b1")).isEmpty();
        assertThat(router.getStats()).containsEntry("messages_routed", 1L);
    }

    @Test
    void handleMessageRepliesOnlyToTheNamedConnectionWhenTheUserOwnsIt() {
        Map<String, Object> own = msg("ping");
        own.put("connection_id", "a2");
        router.handleMessage("alice", own);

        assertThat(manager.framesOf("a1")).isEmpty();
        assertThat(manager.framesOf("a2")).hasSize(1);

        Map<String, Object> foreign = msg("heartbeat");
        foreign.put("connection_id", "b1");
        router.handleMessage("alice", foreign);

        assertThat(manager.framesOf("b1")).isEmpty();
        assertThat(manager.last("a1").get("type").asText()).isEqualTo("heartbeat_ack");
        assertThat(manager.last("a2").get("type").asText()).isEqualTo("heartbeat_ack");
    }

    @Test
    void handleMessageWithAnInvalidMapSendsTheUserAnErrorAndRoutesNothing() {
        router.handleMessage("alice", Map.of("payload", Map.of()));
        router.handleMessage("alice", Map.of("type", "chat", "payload", Map.of("content", new Object())));

        for (String connection : List.of("a1", "a2")) {
            List<JsonNode> frames = manager.jsonOf(connection);
            assertThat(frames).extracting(f -> f.at("/data/error_code").asText())
                    .containsExactly(ErrorCode.MISSING_TYPE.name(), ErrorCode.INVALID_JSON.name());
        }
        assertThat(manager.framesOf("b1")).isEmpty();
        assertThat(router.getStats()).containsEntry("messages_routed", 0L);
    }

    @Test
    void handleMessageNeedsAUserAndAMessage() {
        assertThatNullPointerException().isThrownBy(() -> router.handleMessage(null, msg("ping"))).withMessage("userId");
        assertThatNullPointerException().isThrownBy(() -> router.handleMessage("alice", null)).withMessage("message");
    }

    @Test
    void qualityTypesWithoutAQualityDispatcherAreAcknowledgedAsUnhandled() {
        router.handleMessage("alice", msg("get_quality_metrics"));

        assertThat(manager.last("a1").get("type").asText()).isEqualTo("ack");
        assertThat(manager.last("a1").at("/data/received_type").asText()).isEqualTo("get_quality_metrics");
        assertThat(router.getStats()).containsEntry("unhandled_messages", 1L);
    }

    // ---------------------------------------------------------------- construction

    @Test
    void theNoArgumentRouterRoutesAndCountsButHasNowhereToReply() {
        MessageRouter legacy = new MessageRouter();
        try {
            assertThat(legacy.routeMessage("carol", "c1", msg("ping"))).isTrue();
            assertThat(legacy.routeMessage("carol", "c1", Map.of())).isFalse();

            assertThat(legacy.canonical().connectionPool()).isEmpty();
            assertThat(legacy.getStats()).containsEntry("messages_routed", 1L).containsEntry("rejected_messages", 1L)
                    .containsEntry("handler_count", BUILTINS.size() - 1);
            // Without a pool there is no user stream, so no resume handler.
            assertThat(legacy.getHandlerOrder()).isEqualTo(BUILTINS.subList(0, BUILTINS.size() - 1));
            assertThat(legacy.canonical()).isNotSameAs(canonical);
        } finally {
            legacy.canonical().close();
        }
    }

    @Test
    void theSharingConstructorRefusesNull() {
        assertThatNullPointerException().isThrownBy(() -> new MessageRouter(null)).withMessage("canonical");
    }

    @Test
    void canonicalIsTheRouterTheFacadeWasBuiltOver() {
        assertThat(router.canonical()).isSameAs(canonical);
    }
}
