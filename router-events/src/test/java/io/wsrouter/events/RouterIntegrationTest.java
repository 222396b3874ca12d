package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.RoutingStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool plugged into the canonical router through {@code builder().connectionPool(pool)}. */
class RouterIntegrationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RecordingManager manager = new RecordingManager();
    private ConnectionPool pool;
    private CanonicalMessageRouter router;

    @BeforeEach
    void build() {
        pool = ConnectionPool.builder(manager).maxConnectionsPerUser(2).build();
        router = CanonicalMessageRouter.builder().connectionPool(pool).build();
        assertThat(router.registerConnection("alice", "a1")).isTrue();
        assertThat(router.registerConnection("alice", "a2")).isTrue();
        assertThat(router.registerConnection("bob", "b1")).isTrue();
    }

    @AfterEach
    void close() {
        router.close();
    }

    private static JsonNode json(String frame) throws Exception {
        return MAPPER.readTree(frame);
    }

    @Test
    void pingIsAnsweredWithPongOnThatConnectionOnly() throws Exception {
        assertThat(router.routeMessage("alice", "a1", "{\"type\":\"ping\",\"message_id\":\"m-1\"}")).isTrue();

        List<String> a1 = manager.framesOf("a1");
        assertThat(a1).hasSize(1);
        JsonNode pong = json(a1.get(0));
        assertThat(pong.get("type").asText()).isEqualTo("pong");
        assertThat(pong.get("correlation_id").asText()).isEqualTo("m-1");
        assertThat(manager.framesOf("a2")).isEmpty();
        assertThat(manager.framesOf("b1")).isEmpty();
    }

    @Test
    void emitToUserReachesEveryConnectionOfTheUserAndNoOtherUser() throws Exception {
        assertThat(router.emitToUserCount("alice", "agent_thinking", Map.of("reasoning", "hmm"))).isEqualTo(2);
        assertThat(router.emitToUser("alice", "agent_thinking", Map.of("reasoning", "more"))).isTrue();

        assertThat(manager.framesOf("a1")).hasSize(2).isEqualTo(manager.framesOf("a2"));
        assertThat(json(manager.framesOf("a1").get(0)).at("/data/reasoning").asText()).isEqualTo("hmm");
        assertThat(manager.framesOf("b1")).isEmpty();
        assertThat(router.emitToUser("nobody", "x", null)).isFalse();
        assertThat(router.statistics().delivery().framesSent()).isEqualTo(4);
    }

    @Test
    void aConnectionOfAnotherUserIsRefusedAsForbiddenAndNothingIsWrittenToIt() {
        assertThat(router.routeMessage("bob", "a1", "{\"type\":\"ping\"}")).isFalse();

        RoutingStatistics stats = router.statistics();
        assertThat(stats.rejectionsByCode()).containsEntry(ErrorCode.FORBIDDEN.name(), 1L);
        assertThat(manager.framesOf("a1")).isEmpty();
        assertThat(manager.framesOf("b1")).isEmpty();
        assertThat(pool.ownerOf("a1")).contains("alice");
    }

    @Test
    void aConnectionPastTheUserLimitIsRefusedAsConnectionLimit() {
        assertThat(router.routeMessage("alice", "a3", "{\"type\":\"ping\"}")).isFalse();
        assertThat(router.registerConnection("alice", "a4")).isFalse();

        assertThat(router.statistics().rejectionsByCode()).containsEntry(ErrorCode.CONNECTION_LIMIT.name(), 2L);
        assertThat(pool.connectionsOf("alice")).containsExactly("a1", "a2");
        assertThat(manager.framesOf("a3")).isEmpty();
    }

    @Test
    void aDisconnectMessageIsAcknowledgedThenUnregistersTheConnection() throws Exception {
        assertThat(router.routeMessage("alice", "a1", "{\"type\":\"disconnect\"}")).isTrue();

        JsonNode ack = json(manager.framesOf("a1").get(0));
        assertThat(ack.get("type").asText()).isEqualTo("system_message");
        assertThat(ack.at("/data/status").asText()).isEqualTo("disconnect_acknowledged");
        assertThat(pool.ownerOf("a1")).isEmpty();
        assertThat(router.statistics().activeConnections()).isEqualTo(2);
        assertThat(router.emitToUserCount("alice", "x", null)).isEqualTo(1);
    }

    @Test
    void anUnknownConnectionIsRegisteredOnItsFirstFrame() {
        assertThat(router.routeMessage("carol", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(pool.ownerOf("c1")).contains("carol");
        assertThat(router.statistics().connectedUsers()).isEqualTo(3);
    }

    @Test
    void badInputIsAnsweredOnTheSendersConnectionOnly() throws Exception {
        assertThat(router.routeMessage("alice", "a1", "{not json")).isFalse();
        JsonNode error = json(manager.framesOf("a1").get(0));
        assertThat(error.at("/data/error_code").asText()).isEqualTo(ErrorCode.INVALID_JSON.name());
        assertThat(manager.connectionIds()).isEqualTo(Set.of("a1"));
    }

    @Test
    void closingTheRouterClosesThePool() {
        router.close();
        assertThat(pool.activeConnections()).isZero();
        assertThat(pool.admit("alice", "a1")).isEqualTo(io.wsrouter.core.Admission.CLOSED);
    }
}
