package io.wsrouter.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.redis.RedisBroker;
import io.wsrouter.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three routers (nodes), each with its own connection pool and its own RedisBroker, on one private
 * redis-server: emitToUser and resume through the public router API, across nodes.
 */
class RedisRoutersTest {

    private static String missing;
    private static RedisServer redis;

    private final List<CanonicalMessageRouter> routers = new ArrayList<>();
    private final List<RecordingTransport> transports = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        missing = RedisServer.missing();
        if (missing == null) {
            redis = RedisServer.start();
        }
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void threeRouters() throws Exception {
        Assumptions.assumeTrue(missing == null, () -> missing);
        redis.command("FLUSHALL");
        for (int n = 0; n < 3; n++) {
            RecordingTransport transport = new RecordingTransport();
            transports.add(transport);
            routers.add(CanonicalMessageRouter.builder()
                    .connectionPool(ConnectionPool.builder(transport).build())
                    .broker(RedisBroker.builder(redis.uri()).nodeId("node-" + n).keyPrefix("routers:").build())
                    .build());
        }
    }

    @AfterEach
    void close() {
        routers.forEach(CanonicalMessageRouter::close);
    }

    private List<JsonNode> events(int node, String connection) {
        return transports.get(node).framesOf(connection).stream().filter(f -> f.has("offset")).collect(Collectors.toList());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the user's stream is known on every node that has a connection of them (a first event reaches all). */
    private void settle(String user, int from, int expected, String... connections) throws InterruptedException {
        routers.get(from).emitToUser(user, "agent_started", Map.of("warmup", true));
        await(user + "'s warm-up event everywhere", () -> {
            for (String c : connections) {
                int node = Integer.parseInt(c.substring(1, 2));
                if (events(node, c).size() < expected) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void emitToUserOnAnyNodeReachesEveryConnectionOfTheUserOnEveryNodeInOneOrder() throws Exception {
        assertThat(routers.get(0).registerConnection("alice", "n0-laptop")).isTrue();
        assertThat(routers.get(1).registerConnection("alice", "n1-phone")).isTrue();
        assertThat(routers.get(2).registerConnection("bob", "n2-desk")).isTrue();
        settle("alice", 2, 1, "n0-laptop", "n1-phone");

        for (int i = 1; i <= 20; i++) {
            routers.get(i % 3).emitToUser("alice", "agent_thinking", Map.of("step", i));
        }
        await("21 events on both of alice's connections", () -> events(0, "n0-laptop").size() == 21
                && events(1, "n1-phone").size() == 21);
        assertThat(transports.get(0).rawFramesOf("n0-laptop")).isEqualTo(transports.get(1).rawFramesOf("n1-phone"));
        assertThat(events(0, "n0-laptop")).extracting(e -> e.get("offset").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
        assertThat(transports.get(2).framesOf("n2-desk")).isEmpty();
    }

    @Test
    void aTabThatReconnectsToAnotherNodeResumesThroughTheRouter() throws Exception {
        assertThat(routers.get(0).registerConnection("alice", "n0-tab")).isTrue();
        settle("alice", 2, 1, "n0-tab");
        routers.get(2).emitToUser("alice", "tool_executing", Map.of("tool", "search"));
        await("two events", () -> events(0, "n0-tab").size() == 2);
        String epoch = events(0, "n0-tab").get(0).get("epoch").asText();

        routers.get(0).unregisterConnection("n0-tab"); // the network blips
        routers.get(2).emitToUser("alice", "tool_completed", Map.of("tool", "search"));
        routers.get(2).emitToUser("alice", "agent_completed", Map.of("result", "done"));
        await("both sequenced", () -> routers.get(2).broker().orElseThrow().statistics().published() == 4);
        assertThat(routers.get(1).registerConnection("alice", "n1-tab")).isTrue(); // back, on another node
        routers.get(1).routeMessage("alice", "n1-tab",
                "{\"type\":\"resume\",\"message_id\":\"m-r\",\"payload\":{\"epoch\":\"" + epoch + "\",\"offset\":2}}");

        await("the replay and the result", () -> transports.get(1).framesOf("n1-tab").size() >= 3);
        List<JsonNode> frames = transports.get(1).framesOf("n1-tab");
        assertThat(frames).extracting(f -> f.get("type").asText())
                .containsExactly("tool_completed", "agent_completed", "resume_result");
        assertThat(frames.get(2).at("/data/recovered").asBoolean()).isTrue();
        assertThat(frames.get(2).at("/data/replayed").asInt()).isEqualTo(2);
        assertThat(frames.get(2).at("/data/offset").asLong()).isEqualTo(4);
        assertThat(frames.get(2).get("correlation_id").asText()).isEqualTo("m-r");
    }
}
