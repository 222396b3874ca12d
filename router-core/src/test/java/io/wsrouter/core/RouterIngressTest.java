package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouterIngressTest {

    private RecordingRegistry registry;
    private CanonicalMessageRouter router;

    @BeforeEach
    void setUp() {
        registry = new RecordingRegistry();
        router = CanonicalMessageRouter.builder().connectionPool(registry).build();
    }

    @Test
    void firstFrameRegistersTheConnectionToItsUser() {
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(registry.ownerOf("c1")).contains("alice");
        assertThat(router.statistics().connectionEvents()).isEqualTo(1);
    }

    @Test
    void connectionOfAnotherUserIsForbiddenAndGetsNoFrame() {
        router.registerConnection("alice", "c1");
        assertThat(router.registerConnection("bob", "c1")).isFalse();
        assertThat(router.routeMessage("bob", "c1", "{\"type\":\"ping\"}")).isFalse();
        assertThat(registry.framesOf("c1")).isEmpty();
        assertThat(registry.ownerOf("c1")).contains("alice");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("FORBIDDEN", 2L);
    }

    @Test
    void userAtTheConnectionLimitIsRefusedWithConnectionLimit() {
        registry.limitPerUser = 1;
        assertThat(router.registerConnection("alice", "c1")).isTrue();
        assertThat(router.registerConnection("alice", "c2")).isFalse();
        assertThat(router.routeMessage("alice", "c2", "{\"type\":\"ping\"}")).isFalse();
        assertThat(router.statistics().rejectionsByCode()).containsEntry("CONNECTION_LIMIT", 2L);
    }

    @Test
    void clientSuppliedConnectionIdIsIgnoredWhenTheTransportNamedOne() {
        router.registerConnection("alice", "c1");
        router.registerConnection("bob", "b1");
        router.routeMessage("alice", "c1", "{\"type\":\"ping\",\"connection_id\":\"b1\"}");
        assertThat(registry.framesOf("c1")).hasSize(1);
        assertThat(registry.framesOf("b1")).isEmpty();
    }

    @Test
    void badFrameGetsAnErrorFrameWithItsCodeAndIsCountedAsRejected() {
        router.registerConnection("alice", "c1");
        assertThat(router.routeMessage("alice", "c1", "{not json")).isFalse();
        assertThat(router.routeMessage("alice", "c1", "{\"payload\":{}}")).isFalse();
        assertThat(router.routeMessage("alice", "c1", (String) null)).isFalse();
        assertThat(registry.jsonOf("c1")).extracting(f -> f.at("/data/error_code").asText())
                .containsExactly("INVALID_JSON", "MISSING_TYPE", "INVALID_JSON");
        JsonNode error = registry.jsonOf("c1").get(0);
        assertThat(error.get("type").asText()).isEqualTo("error_message");
        assertThat(error.at("/data/error_message").asText()).isNotBlank();
        assertThat(error.at("/data/details").isObject()).isTrue();
        RoutingStatistics stats = router.statistics();
        assertThat(stats.rejectedMessages()).isEqualTo(3);
        assertThat(stats.messagesRouted()).isZero();
    }

    @Test
    void routerWithoutAPoolRoutesAndCountsButSendsNothing() {
        CanonicalMessageRouter bare = CanonicalMessageRouter.builder().build();
        assertThat(bare.registerConnection("alice", "c1")).isFalse();
        assertThat(bare.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(bare.routeMessage("alice", Message.of("heartbeat", Map.of()))).isTrue();
        assertThat(bare.emitToUser("alice", "x", Map.of())).isFalse();
        RoutingStatistics stats = bare.statistics();
        assertThat(stats.messagesRouted()).isEqualTo(2);
        assertThat(stats.activeConnections()).isZero();
        assertThat(stats.delivery()).isEqualTo(DeliveryStatistics.EMPTY);
    }

    @Test
    void seedEntryRepliesToTheNamedConnectionOnlyWhenTheUserOwnsIt() throws Exception {
        router.registerConnection("alice", "c1");
        router.registerConnection("alice", "c2");
        router.registerConnection("bob", "b1");
        router.routeMessage("alice", Message.parse("{\"type\":\"ping\",\"connection_id\":\"c2\"}"));
        assertThat(registry.framesOf("c2")).hasSize(1);
        assertThat(registry.framesOf("c1")).isEmpty();
        registry.clear();
        router.routeMessage("alice", Message.parse("{\"type\":\"ping\",\"connection_id\":\"b1\"}"));
        assertThat(registry.framesOf("b1")).isEmpty();
        assertThat(registry.framesOf("c1")).hasSize(1);
        assertThat(registry.framesOf("c2")).hasSize(1);
    }

    @Test
    void connectionlessFrameIsParsedRejectedAndCountedLikeAnyOther() {
        router.registerConnection("alice", "c1");
        router.registerConnection("alice", "c2");
        router.registerConnection("bob", "b1");
        assertThat(router.routeConnectionlessFrame("alice", "{\"payload\":{}}")).isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("MISSING_TYPE");
        assertThat(registry.last("c2").at("/data/error_code").asText()).isEqualTo("MISSING_TYPE");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("MISSING_TYPE", 1L);
        registry.clear();
        assertThat(router.routeConnectionlessFrame("alice", "{\"type\":\"ping\",\"connection_id\":\"c2\"}")).isTrue();
        assertThat(registry.framesOf("c2")).hasSize(1);
        assertThat(registry.framesOf("c1")).isEmpty();
        assertThat(registry.framesOf("b1")).isEmpty();
        assertThat(router.routeConnectionlessFrame("alice", (String) null)).isFalse();
        assertThat(router.statistics().rejectionsByCode()).containsEntry("INVALID_JSON", 1L);
    }

    @Test
    void emitToUserReachesEveryConnectionOfThatUserAndNoOther() {
        router.registerConnection("alice", "c1");
        router.registerConnection("alice", "c2");
        router.registerConnection("bob", "b1");
        assertThat(router.emitToUserCount("alice", "agent_thinking", Map.of("reasoning", "hmm"))).isEqualTo(2);
        assertThat(registry.last("c1").get("type").asText()).isEqualTo("agent_thinking");
        assertThat(registry.last("c2").at("/data/reasoning").asText()).isEqualTo("hmm");
        assertThat(registry.framesOf("b1")).isEmpty();
        assertThat(router.emitToUser("carol", "x", null)).isFalse();
    }

    @Test
    void emitOfUnserializableDataIsAnIllegalArgument() {
        router.registerConnection("alice", "c1");
        assertThatThrownBy(() -> router.emitToUser("alice", "x", new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }

    @Test
    void unregisterRemovesTheConnectionAndCountsTheEvent() {
        router.registerConnection("alice", "c1");
        assertThat(router.unregisterConnection("c1")).isTrue();
        assertThat(router.unregisterConnection("c1")).isFalse();
        assertThat(router.statistics().connectionEvents()).isEqualTo(2);
    }

    @Test
    void closedRouterRefusesMessagesAndClosesItsPool() {
        router.registerConnection("alice", "c1");
        router.close();
        router.close();
        assertThat(router.isClosed()).isTrue();
        assertThat(registry.closed).isTrue();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isFalse();
        assertThat(router.emitToUser("alice", "x", null)).isFalse();
        assertThat(router.statistics().rejectionsByCode()).containsEntry("ROUTER_CLOSED", 1L);
    }

    @Test
    void nullIdsAreProgrammingErrors() {
        assertThatThrownBy(() -> router.routeMessage(null, "c1", "{}")).isInstanceOf(NullPointerException.class)
                .hasMessage("userId");
        assertThatThrownBy(() -> router.routeMessage("a", (String) null, "{}")).isInstanceOf(NullPointerException.class)
                .hasMessage("connectionId");
    }

    @Test
    void customLimitsApplyToRouting() {
        CanonicalMessageRouter strict = CanonicalMessageRouter.builder().connectionPool(registry)
                .limits(MessageLimits.DEFAULT.withMaxFrameBytes(32)).build();
        strict.registerConnection("alice", "c1");
        assertThat(strict.routeMessage("alice", "c1", "{\"type\":\"ping\",\"payload\":{\"x\":\"0123456789\"}}")).isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("MESSAGE_TOO_LARGE");
    }

    @Test
    void builderRejectsBadValuesWithTheValueInTheMessage() {
        assertThatThrownBy(() -> CanonicalMessageRouter.builder().maxTypeKeys(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTypeKeys must be > 0 but was 0");
        assertThatThrownBy(() -> CanonicalMessageRouter.builder().startupGracePeriod(java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }
}
