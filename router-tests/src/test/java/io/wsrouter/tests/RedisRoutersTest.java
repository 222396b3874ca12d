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
import java.util.function.Supplier;
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
                    // A generous command timeout: these tests are about routing across nodes, and a 1 s
                    // timeout on a CI machine busy with other builds would count an event lost.
                    .broker(RedisBroker.builder(redis.uri()).nodeId("node-" + n).keyPrefix("routers:")
                            .commandTimeout(Duration.ofSeconds(10)).build())
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
        await(() -> what, condition);
    }

    /** Waits; on time-out says what was awaited, as {@code what} tells it then (figures included). */
    private static void await(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until every node with a connection of the user delivers its events: a node learns where the
     * user's stream stands asynchronously after the registration, so warm-up events (which an early one may
     * miss, as a connection misses events emitted before it exists) go out until each connection has one.
     */
    private int settle(String user, int from, String... connections) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int emitted = 0;
        while (true) {
            routers.get(from).emitToUser(user, "agent_started", Map.of("warmup", true));
            emitted++;
            Thread.sleep(200);
            boolean all = true;
            for (String c : connections) {
                all &= !events(Integer.parseInt(c.substring(1, 2)), c).isEmpty();
            }
            if (all) {
                Thread.sleep(200); // the last warm-ups land too
                return emitted;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + user + "'s events reach every node");
            }
        }
    }

    @Test
    void emitToUserOnAnyNodeReachesEveryConnectionOfTheUserOnEveryNodeInOneOrder() throws Exception {
        assertThat(routers.get(0).registerConnection("alice", "n0-laptop")).isTrue();
        assertThat(routers.get(1).registerConnection("alice", "n1-phone")).isTrue();
        assertThat(routers.get(2).registerConnection("bob", "n2-desk")).isTrue();
        settle("alice", 2, "n0-laptop", "n1-phone");
        int laptop = events(0, "n0-laptop").size();
        int phone = events(1, "n1-phone").size();
        long last = events(0, "n0-laptop").get(laptop - 1).get("offset").asLong();

        for (int i = 1; i <= 20; i++) {
            routers.get(i % 3).emitToUser("alice", "agent_thinking", Map.of("step", i));
        }
        await("20 more events on both of alice's connections", () -> events(0, "n0-laptop").size() == laptop + 20
                && events(1, "n1-phone").size() == phone + 20);
        List<JsonNode> onLaptop = events(0, "n0-laptop").subList(laptop, laptop + 20);
        assertThat(events(1, "n1-phone").subList(phone, phone + 20)).isEqualTo(onLaptop);
        assertThat(onLaptop).extracting(e -> e.get("offset").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(last + 1, last + 20).boxed().toList());
        assertThat(transports.get(2).framesOf("n2-desk")).isEmpty();
    }

    @Test
    void aTabThatReconnectsToAnotherNodeResumesThroughTheRouter() throws Exception {
        assertThat(routers.get(0).registerConnection("alice", "n0-tab")).isTrue();
        int warmups = settle("alice", 2, "n0-tab");
        int before = events(0, "n0-tab").size();
        routers.get(2).emitToUser("alice", "tool_executing", Map.of("tool", "search"));
        await("one more event", () -> events(0, "n0-tab").size() == before + 1);
        JsonNode seen = events(0, "n0-tab").get(before);
        String epoch = seen.get("epoch").asText();
        long offset = seen.get("offset").asLong();
        // Node 2 counts a publication when Redis's answer reaches it, which may be after the event
        // reached node 0 through the channel: wait until every answer so far is in, then count on.
        RedisBroker node2 = (RedisBroker) routers.get(2).broker().orElseThrow();
        await(() -> "node 2 has every answer; " + node2.statistics(),
                () -> node2.statistics().published() + node2.statistics().unrouted() + node2.eventsNotSequenced()
                        == warmups + 1);
        long published = node2.statistics().published();

        routers.get(0).unregisterConnection("n0-tab"); // the network blips
        routers.get(2).emitToUser("alice", "tool_completed", Map.of("tool", "search"));
        routers.get(2).emitToUser("alice", "agent_completed", Map.of("result", "done"));
        await(() -> "both sequenced; node 2: " + node2.statistics() + ", not sequenced " + node2.eventsNotSequenced(),
                () -> node2.statistics().published() == published + 2);
        assertThat(routers.get(1).registerConnection("alice", "n1-tab")).isTrue(); // back, on another node
        routers.get(1).routeMessage("alice", "n1-tab",
                "{\"type\":\"resume\",\"message_id\":\"m-r\",\"payload\":{\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}}");

        await("the replay and the result", () -> transports.get(1).framesOf("n1-tab").size() >= 3);
        List<JsonNode> frames = transports.get(1).framesOf("n1-tab");
        assertThat(frames).extracting(f -> f.get("type").asText())
                .containsExactly("tool_completed", "agent_completed", "resume_result");
        assertThat(frames.get(2).at("/data/recovered").asBoolean()).isTrue();
        assertThat(frames.get(2).at("/data/replayed").asInt()).isEqualTo(2);
        assertThat(frames.get(2).at("/data/offset").asLong()).isEqualTo(offset + 2);
        assertThat(frames.get(2).get("correlation_id").asText()).isEqualTo("m-r");
    }
}
