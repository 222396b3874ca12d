package io.wsrouter.redis;

import io.wsrouter.testkit.RedisServer;
import static io.wsrouter.redis.Node.await;
import static io.wsrouter.redis.Node.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.ResumeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults: Redis killed and restarted, a subscriber connection killed, a node that disappears. Each test has its own redis-server. */
class RedisFaultTest {

    private RedisServer redis;
    private final List<Node> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        String missing = RedisServer.missing();
        Assumptions.assumeTrue(missing == null, () -> missing);
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(Node::close);
        if (redis != null) {
            redis.close();
        }
    }

    private Node node(String name) {
        return node(name, UnaryOperator.identity());
    }

    private Node node(String name, UnaryOperator<RedisBroker.Builder> settings) {
        Node node = new Node(name, redis, settings);
        nodes.add(node);
        return node;
    }

    @Test
    void redisRestartedEmptyGivesANewEpochTheNodesRecoverByThemselvesAndTheOldEpochIsNotRecovered() throws Exception {
        Node a = node("a");
        Node b = node("b");
        a.open("alice", "a1");
        b.open("alice", "b1");
        await("both nodes track alice", () -> a.broker.tracks("alice") && b.broker.tracks("alice"));
        for (int i = 1; i <= 3; i++) {
            a.broker.publish("alice", event(i));
        }
        await("three events on b", () -> b.count("b1") == 3);
        String oldEpoch = b.events("b1").get(0).get("epoch").asText();

        redis.kill();
        await("a sees the outage", () -> !a.broker.isRedisReachable());
        long before = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            a.broker.publish("alice", event(100 + i)); // never throws, never waits for Redis
        }
        long publishMillis = (System.nanoTime() - before) / 1_000_000;
        await("the failed publications are counted", () -> a.broker.eventsNotSequenced() == 100);
        assertThat(a.broker.statistics().outageMillis()).isPositive();
        ResumeResult duringOutage = b.broker.resume("alice", "b1", oldEpoch, 3, Node.RESULT);
        assertThat(duringOutage.recovered()).isFalse();

        redis.restart(); // empty: save "" and no AOF
        await("both nodes are back", () -> a.broker.isRedisReachable() && b.broker.isRedisReachable());
        a.broker.publish("alice", event(4));
        await("the event after the restart reaches b", () -> b.events("b1").stream()
                .anyMatch(e -> e.get("data").get("n").asInt() == 4));
        await("and a", () -> a.events("a1").stream().anyMatch(e -> e.get("data").get("n").asInt() == 4));
        JsonNode after = b.events("b1").get(b.events("b1").size() - 1);
        String newEpoch = after.get("epoch").asText();
        assertThat(newEpoch).isNotEqualTo(oldEpoch);
        // None of the events published during the outage reached anyone, on any node.
        assertThat(b.events("b1")).extracting(e -> e.get("data").get("n").asInt()).doesNotContain(100, 150, 199);
        assertThat(a.events("a1")).extracting(e -> e.get("data").get("n").asInt()).doesNotContain(100, 150, 199);

        b.open("alice", "b2");
        ResumeResult old = b.broker.resume("alice", "b2", oldEpoch, 3, Node.RESULT);
        assertThat(old.recovered()).isFalse();
        assertThat(old.replayed()).isZero();
        assertThat(old.epoch()).isEqualTo(newEpoch);
        assertThat(a.broker.statistics().outageMillis()).isPositive();
        assertThat(publishMillis).as("100 publications during the outage took %d ms", publishMillis).isLessThan(5_000);
    }

    @Test
    void anOutageWithoutDataLossShowsTheLostEventsAsAGapThatResumeReportsAsNotRecovered() throws Exception {
        Node a = node("a");
        Node b = node("b");
        a.open("alice", "a1");
        b.open("alice", "b1");
        await("both nodes track alice", () -> a.broker.tracks("alice") && b.broker.tracks("alice"));
        a.broker.publish("alice", event(1));
        a.broker.publish("alice", event(2));
        await("two events on both", () -> b.count("b1") == 2 && a.count("a1") == 2);
        String epoch = a.events("a1").get(0).get("epoch").asText();

        redis.command("SAVE"); // the restart below loads this dump: the streams survive the outage
        redis.kill();
        await("a sees the outage", () -> !a.broker.isRedisReachable());
        a.broker.publish("alice", event(3)); // lost: not even a's own connection gets it
        await("counted", () -> a.broker.eventsNotSequenced() == 1);
        redis.restart();
        await("both nodes are back", () -> a.broker.isRedisReachable() && b.broker.isRedisReachable());
        a.broker.publish("alice", event(4));

        await("the next event reaches both", () -> b.count("b1") == 3 && a.count("a1") == 3);
        for (Node n : List.of(a, b)) {
            List<JsonNode> events = n.events(n == a ? "a1" : "b1");
            assertThat(events).extracting(e -> e.get("data").get("n").asInt()).containsExactly(1, 2, 4);
            assertThat(events).extracting(e -> e.get("epoch").asText()).containsOnly(epoch);
            // The lost event left a gap in the offsets: the client sees it...
            assertThat(events.get(2).get("offset").asLong()).isEqualTo(4);
        }
        // ...resumes from the last offset it has, and learns it cannot recover.
        ResumeResult result = b.broker.resume("alice", "b1", epoch, 2, Node.RESULT);
        assertThat(result).isEqualTo(new ResumeResult(false, 0, epoch, 4));
        await("the node counted the gap it could not fill", () -> b.broker.gapsNotFilled() >= 1);
    }

    @Test
    void aKilledSubscriberConnectionLeavesAGapThatIsFilledFromTheStream() throws Exception {
        Node a = node("a");
        Node b = node("b");
        a.open("alice", "a1");
        b.open("alice", "b1");
        await("both nodes track alice", () -> a.broker.tracks("alice") && b.broker.tracks("alice"));
        int sent = 0;
        for (int round = 0; round < 50 && b.broker.statistics().gapsFilled() == 0; round++) {
            redis.killClient("wsrouter:b:sub");
            for (int i = 0; i < 20; i++) {
                a.broker.publish("alice", event(++sent));
            }
            int expected = sent;
            await("b has every event so far", () -> b.count("b1") == expected);
        }
        assertThat(b.broker.statistics().gapsFilled()).as("a gap was seen and filled").isPositive();
        assertThat(b.broker.gapsNotFilled()).isZero();
        assertThat(b.offsets("b1")).containsExactlyElementsOf(LongStream.rangeClosed(1, sent).boxed().toList());
        assertThat(b.frames("b1")).isEqualTo(a.frames("a1"));
    }

    @Test
    void presenceCountsTheClusterAndANodeThatDisappearsExpiresWithinThreeHeartbeats() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        a.open("alice", "a1");
        a.open("alice", "a2");
        b.open("alice", "b1");
        b.open("bob", "b2");
        c.open("carol", "c1");
        await("three nodes, three users, five connections",
                () -> a.broker.presence().equals(new ClusterPresence(3, 3, 5)));
        assertThat(a.broker.isConnectedAnywhere("carol")).isTrue();
        assertThat(a.broker.isConnectedAnywhere("dave")).isFalse();

        c.broker.halt(); // dies without closing: nothing is tidied in Redis
        nodes.remove(c);
        long halted = System.nanoTime();
        await("carol's node expired", () -> !a.broker.isConnectedAnywhere("carol"));
        assertThat(a.broker.presence()).isEqualTo(new ClusterPresence(2, 2, 4));
        System.out.printf("a halted node left the presence after %d ms (heartbeat 200 ms)%n", (System.nanoTime() - halted) / 1_000_000);

        b.close("bob", "b2");
        await("bob left", () -> !a.broker.isConnectedAnywhere("bob"));
        await("and b's next heartbeat counts its connections", () -> a.broker.presence().equals(new ClusterPresence(2, 1, 3)));
    }
}
