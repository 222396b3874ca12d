package io.wsrouter.redis;

import io.wsrouter.testkit.RedisServer;
import static io.wsrouter.redis.Node.await;
import static io.wsrouter.redis.Node.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.ResumeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three nodes (brokers with their own Lettuce connections) in one JVM on a private redis-server. */
class RedisBrokerTest {

    private static String missing;
    private static RedisServer redis;

    private final List<Node> nodes = new ArrayList<>();
    private Node a;
    private Node b;
    private Node c;

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
    void threeNodes() throws Exception {
        Assumptions.assumeTrue(missing == null, () -> missing);
        redis.command("FLUSHALL");
        a = node("a", UnaryOperator.identity());
        b = node("b", UnaryOperator.identity());
        c = node("c", UnaryOperator.identity());
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
    }

    private Node node(String name, UnaryOperator<RedisBroker.Builder> settings) {
        Node node = new Node(name, redis, settings);
        nodes.add(node);
        return node;
    }

    private static void awaitTracked(String user, Node... on) throws InterruptedException {
        for (Node n : on) {
            await(n.name + " tracks " + user, () -> n.broker.tracks(user));
        }
    }

    @Test
    void framesWithWhitespaceAroundOrInsideTheObjectArriveAsValidJsonWithTheirOffsets() throws Exception {
        a.open("alice", "a1");
        awaitTracked("alice", a);
        List<String> sent = List.of("{ }", "{\"type\":\"x\",\"data\":{}} \n", "\t{\"type\":\"y\"\n}");
        for (String frame : sent) {
            a.broker.publish("alice", frame);
        }

        await("three events", () -> a.count("a1") == 3);
        assertThat(a.offsets("a1")).containsExactly(1L, 2L, 3L);
        assertThat(a.events("a1")).extracting(e -> e.path("type").asText("")).containsExactly("", "x", "y");
    }

    @Test
    void anEventFromAnyNodeReachesEveryConnectionOfTheUserOnEveryNodeWithTheSameOffsetsAndNoOneElse() throws Exception {
        a.open("alice", "a1");
        a.open("alice", "a2");
        b.open("alice", "b1");
        c.open("bob", "c1");
        b.open("bob", "b2");
        awaitTracked("alice", a, b);
        awaitTracked("bob", b, c);

        // One after the other (each seen before the next is emitted): emits from different nodes at once have no order
        assertThat(a.broker.publish("alice", event(1))).isEqualTo(2);
        await("alice's first event on b", () -> b.count("b1") == 1);
        assertThat(c.broker.publish("alice", event(2))).isZero(); // alice has no connection on c
        await("alice's second event on a", () -> a.count("a1") == 2);
        b.broker.publish("alice", event(3));
        c.broker.publish("bob", event(4));

        await("alice's three connections have three events", () -> a.count("a1") == 3
                && a.count("a2") == 3 && b.count("b1") == 3);
        await("bob's two connections have one event", () -> c.count("c1") == 1 && b.count("b2") == 1);
        for (List<String> frames : List.of(a.frames("a1"), a.frames("a2"), b.frames("b1"))) {
            assertThat(frames).isEqualTo(a.frames("a1"));
        }
        assertThat(a.offsets("a1")).containsExactly(1L, 2L, 3L);
        assertThat(a.events("a1")).extracting(e -> e.get("data").get("n").asInt()).containsExactly(1, 2, 3);
        assertThat(c.events("c1")).extracting(e -> e.get("offset").asLong()).containsExactly(1L);
        assertThat(c.frames("c1")).isEqualTo(b.frames("b2"));
        assertThat(c.events("c1").get(0).get("data").get("n").asInt()).isEqualTo(4);
        assertThat(a.events("a1").get(0).get("epoch").asText()).matches("[a-z0-9]+")
                .isNotEqualTo(c.events("c1").get(0).get("epoch").asText());
        await("four events counted as published", () -> a.broker.statistics().published()
                + b.broker.statistics().published() + c.broker.statistics().published() == 4);
    }

    @Test
    void emitsFromTwoNodesAtOnceArriveInOneOrderEverywhere() throws Exception {
        a.open("alice", "a1");
        b.open("alice", "b1");
        c.open("alice", "c1");
        awaitTracked("alice", a, b, c);
        int perNode = 300;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Node from : List.of(a, b)) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perNode; i++) {
                        from.broker.publish("alice", "{\"type\":\"x\",\"data\":{\"from\":\"" + from.name + "\",\"i\":" + i + "}}");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        await("every connection has every event", () -> a.count("a1") == 2 * perNode
                && b.count("b1") == 2 * perNode && c.count("c1") == 2 * perNode);
        assertThat(a.offsets("a1")).containsExactlyElementsOf(LongStream.rangeClosed(1, 2 * perNode).boxed().toList());
        assertThat(b.frames("b1")).isEqualTo(a.frames("a1"));
        assertThat(c.frames("c1")).isEqualTo(a.frames("a1"));
        // Each node's own emits keep their order within the one order.
        for (String from : List.of("a", "b")) {
            assertThat(a.events("a1").stream().filter(e -> e.get("data").get("from").asText().equals(from))
                    .map(e -> e.get("data").get("i").asInt()).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perNode).boxed().toList());
        }
    }

    @Test
    void aTabThatReconnectsToAnotherNodeResumesWhatItMissed() throws Exception {
        a.open("alice", "tab");
        awaitTracked("alice", a);
        for (int i = 1; i <= 3; i++) {
            c.broker.publish("alice", event(i));
        }
        await("the tab has three events", () -> a.count("tab") == 3);
        String epoch = a.events("tab").get(2).get("epoch").asText();
        a.close("alice", "tab"); // the network blips: the tab is gone from a
        await("a no longer tracks alice", () -> !a.broker.tracks("alice"));
        c.broker.publish("alice", event(4));
        c.broker.publish("alice", event(5));
        await("both are sequenced (publish returns before)", () -> c.broker.statistics().published() == 5);

        b.open("alice", "tab2"); // the tab comes back through the load balancer, on b
        ResumeResult result = b.broker.resume("alice", "tab2", epoch, 3, Node.RESULT);
        c.broker.publish("alice", event(6));

        assertThat(result).isEqualTo(new ResumeResult(true, 2, epoch, 5));
        await("the tab has the live event after the result", () -> b.count("tab2") == 4);
        List<String> frames = b.frames("tab2");
        assertThat(Node.read(frames.get(0)).get("offset").asLong()).isEqualTo(4);
        assertThat(Node.read(frames.get(1)).get("offset").asLong()).isEqualTo(5);
        assertThat(Node.read(frames.get(2)).get("type").asText()).isEqualTo("resume_result");
        assertThat(Node.read(frames.get(2)).get("data").get("recovered").asBoolean()).isTrue();
        assertThat(Node.read(frames.get(3)).get("offset").asLong()).isEqualTo(6);
        assertThat(frames).hasSize(4);
        assertThat(b.broker.statistics().resumesRecovered()).isEqualTo(1);
        assertThat(b.broker.statistics().eventsReplayed()).isEqualTo(2);
    }

    @Test
    void aResumeWithAnotherEpochOrBeyondHistoryIsNotRecoveredAndReplaysNothing() throws Exception {
        Node small = node("small", s -> s.historySize(3));
        small.open("alice", "t1");
        awaitTracked("alice", small);
        for (int i = 1; i <= 10; i++) {
            small.broker.publish("alice", event(i));
        }
        await("ten events", () -> small.count("t1") == 10);
        String epoch = small.events("t1").get(0).get("epoch").asText();

        ResumeResult wrongEpoch = small.broker.resume("alice", "t1", "nope", 9, Node.RESULT);
        ResumeResult tooOld = small.broker.resume("alice", "t1", epoch, 2, Node.RESULT);
        ResumeResult recent = small.broker.resume("alice", "t1", epoch, 8, Node.RESULT);

        assertThat(wrongEpoch).isEqualTo(new ResumeResult(false, 0, epoch, 10));
        assertThat(tooOld).isEqualTo(new ResumeResult(false, 0, epoch, 10));
        assertThat(recent).isEqualTo(new ResumeResult(true, 2, epoch, 10));
        List<JsonNode> all = small.frames("t1").stream().map(Node::read).toList();
        assertThat(all.subList(10, all.size())).extracting(n -> n.has("offset") ? "e" + n.get("offset").asLong()
                : "r" + n.get("data").get("recovered").asBoolean()).containsExactly("rfalse", "rfalse", "e9", "e10", "rtrue");
    }

    @Test
    void anEventForAUserNoNodeKnowsReachesNobodyAndIsKeptNowhere() throws Exception {
        a.open("alice", "a1");
        awaitTracked("alice", a);
        for (int i = 0; i < 50; i++) {
            assertThat(b.broker.publish("stranger-" + i, event(i))).isZero();
        }
        a.broker.publish("alice", event(1)); // after the strangers' on the same connection: they are done then
        await("alice's event", () -> a.count("a1") == 1);
        await("the strangers' events are counted", () -> b.broker.statistics().unrouted() == 50);
        assertThat(redis.command("KEYS", "test:{stranger*")).isEqualTo("*0\r\n");
    }

    @Test
    void resumeRacingWithLiveEventsFromOtherNodesHasNoGapAndNoDuplicate() throws Exception {
        Node a = node("a-long", s -> s.historySize(1000));
        Node b = node("b-long", s -> s.historySize(1000));
        a.open("alice", "a1");
        b.open("alice", "b1");
        awaitTracked("alice", a, b);
        for (int i = 1; i <= 5; i++) {
            a.broker.publish("alice", event(i));
        }
        await("five events on b", () -> b.count("b1") == 5);
        String epoch = b.events("b1").get(0).get("epoch").asText();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> emitting = pool.submit(() -> {
                for (int i = 6; i <= 400; i++) {
                    a.broker.publish("alice", event(i));
                }
            });
            List<ResumeResult> results = new ArrayList<>();
            while (!emitting.isDone()) {
                b.open("alice", "b" + (results.size() + 2));
                results.add(b.broker.resume("alice", "b" + (results.size() + 2), epoch, 5, Node.RESULT));
            }
            emitting.get();
            await("every connection has reached offset 400", () -> {
                for (int i = 0; i < results.size(); i++) {
                    List<Long> offsets = b.offsets("b" + (i + 2));
                    if (offsets.isEmpty() || offsets.get(offsets.size() - 1) != 400) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 0; i < results.size(); i++) {
                String connection = "b" + (i + 2);
                long at = results.get(i).offset();
                assertThat(results.get(i).recovered()).isTrue();
                // Live events that reached the connection between its registration and its resume come first
                // (the replay repeats them, as with the in-memory broker); then the replay 6..at, the result,
                // and the events emitted meanwhile: at+1..400, no gap, no duplicate.
                List<String> frames = b.frames(connection);
                int result = frames.indexOf(frames.stream().filter(f -> f.contains("resume_result")).findFirst().orElseThrow());
                List<Long> before = frames.subList(0, result).stream().map(f -> UserStream.offsetOf(f, -1)).toList();
                List<Long> after = frames.subList(result + 1, frames.size()).stream().map(f -> UserStream.offsetOf(f, -1)).toList();
                List<Long> replay = LongStream.rangeClosed(6, at).boxed().toList();
                assertThat(before.subList(before.size() - replay.size(), before.size())).as("replay to %s", connection)
                        .isEqualTo(replay);
                assertThat(after).as("live after the result on %s", connection)
                        .containsExactlyElementsOf(LongStream.rangeClosed(at + 1, 400).boxed().toList());
            }
        } finally {
            pool.shutdown();
        }
    }
}
