package io.wsrouter.redis;

import static io.wsrouter.redis.Node.await;
import static io.wsrouter.redis.Node.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.cluster.SlotHash;
import io.wsrouter.core.ResumeResult;
import io.wsrouter.testkit.RedisCluster;
import io.wsrouter.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes (brokers with their own Lettuce cluster connections) on a private Redis Cluster of three
 * masters. Alice, bob and erin have their keys on three different masters (slots 749, 8955 and 12069
 * of the ranges 0-5460, 5461-10922, 10923-16383 that {@code redis-cli --cluster create} gives), which the
 * first test checks against the cluster itself.
 */
class RedisClusterTest {

    private static final List<String> USERS = List.of("alice", "bob", "erin");

    private static String missing;
    private static RedisCluster cluster;

    private final List<Node> nodes = new ArrayList<>();
    private Node a;
    private Node b;
    private Node c;

    @BeforeAll
    static void startCluster() throws Exception {
        missing = RedisCluster.missing();
        if (missing == null) {
            cluster = RedisCluster.start(3);
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void threeNodes() throws Exception {
        Assumptions.assumeTrue(missing == null, () -> missing);
        cluster.awaitOk();
        cluster.flushAll();
        a = node("a", UnaryOperator.identity());
        b = node("b", UnaryOperator.identity());
        c = node("c", UnaryOperator.identity());
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
    }

    private Node node(String name, UnaryOperator<RedisBroker.Builder> settings) {
        Node node = new Node(name, RedisBroker.clusterBuilder(cluster.seedUris()), settings);
        nodes.add(node);
        return node;
    }

    private static void awaitTracked(String user, Node... on) throws InterruptedException {
        for (Node n : on) {
            await(n.name + " tracks " + user, () -> n.broker.tracks(user));
        }
    }

    private static String meta(String user) {
        return "test:{" + user + "}:m";
    }

    @Test
    void eachUsersKeysAndChannelShareOneSlotAndTheThreeUsersLiveOnThreeDifferentMasters() throws Exception {
        Keys keys = new Keys("test:");
        Set<Integer> masters = new HashSet<>();
        for (String user : USERS) {
            int slot = cluster.slot(keys.meta(user));
            assertThat(cluster.slot(keys.stream(user))).as("%s's stream", user).isEqualTo(slot);
            assertThat(cluster.slot(keys.channel(user))).as("%s's channel", user).isEqualTo(slot);
            assertThat(SlotHash.getSlot(keys.meta(user))).as("Lettuce's slot of %s", user).isEqualTo(slot);
            masters.add(cluster.masterOf(keys.meta(user)).port());
        }
        assertThat(masters).hasSize(3);
    }

    @Test
    void anEventFromAnyNodeReachesEveryConnectionOfTheUserOnEveryNodeWithTheSameOffsetsAndNoOneElse() throws Exception {
        a.open("alice", "a-alice");
        b.open("alice", "b-alice");
        b.open("bob", "b-bob");
        c.open("bob", "c-bob");
        c.open("erin", "c-erin");
        a.open("erin", "a-erin");
        awaitTracked("alice", a, b);
        awaitTracked("bob", b, c);
        awaitTracked("erin", c, a);

        // Each user's three events come from the three nodes, one after the other (each seen before the next).
        List<Node> from = List.of(a, b, c);
        for (int i = 0; i < 3; i++) {
            int n = i + 1;
            from.get(i).broker.publish("alice", event(n));
            await("alice's event " + n, () -> a.count("a-alice") == n && b.count("b-alice") == n);
            from.get((i + 1) % 3).broker.publish("bob", event(10 + n));
            await("bob's event " + n, () -> b.count("b-bob") == n && c.count("c-bob") == n);
            from.get((i + 2) % 3).broker.publish("erin", event(20 + n));
            await("erin's event " + n, () -> c.count("c-erin") == n && a.count("a-erin") == n);
        }

        assertThat(a.offsets("a-alice")).containsExactly(1L, 2L, 3L);
        assertThat(b.frames("b-alice")).isEqualTo(a.frames("a-alice"));
        assertThat(a.events("a-alice")).extracting(e -> e.get("data").get("n").asInt()).containsExactly(1, 2, 3);
        assertThat(b.offsets("b-bob")).containsExactly(1L, 2L, 3L);
        assertThat(c.frames("c-bob")).isEqualTo(b.frames("b-bob"));
        assertThat(b.events("b-bob")).extracting(e -> e.get("data").get("n").asInt()).containsExactly(11, 12, 13);
        assertThat(c.offsets("c-erin")).containsExactly(1L, 2L, 3L);
        assertThat(a.frames("a-erin")).isEqualTo(c.frames("c-erin"));
        assertThat(c.events("c-erin")).extracting(e -> e.get("data").get("n").asInt()).containsExactly(21, 22, 23);
        await("nine events counted as published", () -> a.broker.statistics().published()
                + b.broker.statistics().published() + c.broker.statistics().published() == 9);

        // The streams are where the cluster says: on the user's master only, and each user's sharded
        // channel is subscribed there by the two nodes that have the user's connections.
        for (String user : USERS) {
            RedisServer master = cluster.masterOf(meta(user));
            assertThat(master.command("XLEN", "test:{" + user + "}:s")).as("%s's stream", user).isEqualTo(":3\r\n");
            assertThat(master.command("PUBSUB", "SHARDNUMSUB", "test:{" + user + "}:c"))
                    .as("%s's channel", user).endsWith(":2\r\n");
            for (RedisServer other : cluster.nodes()) {
                if (other != master) {
                    assertThat(other.command("XLEN", "test:{" + user + "}:s")).startsWith("-MOVED");
                }
            }
        }
        // Another user's frames reached nobody else: every connection has its own user's three events.
        for (Node n : nodes) {
            for (String connection : n.outlet.received.keySet()) {
                String user = connection.substring(2);
                assertThat(n.events(connection)).as(connection).hasSize(3)
                        .allSatisfy(e -> assertThat(e.get("data").get("n").asInt() / 10).isEqualTo(USERS.indexOf(user)));
            }
        }
    }

    @Test
    void manyUsersArrivingOnANodeAtOnceAreSubscribedEachOnTheMasterOfItsSlot() throws Exception {
        // One flush subscribes them all; one SSUBSCRIBE may only name channels of one slot.
        List<String> many = IntStream.range(0, 60).mapToObj(i -> "user-" + i).toList();
        many.forEach(user -> a.open(user, "a-" + user));
        Set<Integer> masters = new HashSet<>();
        for (String user : many) {
            RedisServer master = cluster.masterOf(meta(user));
            masters.add(master.port());
            await(user + "'s channel is subscribed on its master",
                    () -> command(master, "PUBSUB", "SHARDNUMSUB", "test:{" + user + "}:c").endsWith(":1\r\n"));
        }
        assertThat(masters).hasSize(3);
        many.forEach(user -> b.broker.publish(user, event(1)));
        for (String user : many) {
            await(user + "'s event", () -> a.count("a-" + user) == 1);
            assertThat(a.offsets("a-" + user)).as(user).containsExactly(1L);
        }
    }

    private static String command(RedisServer server, String... args) {
        try {
            return server.command(args);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTabThatReconnectsToAnotherNodeResumesWhatItMissedWhicheverMasterHoldsItsUser() throws Exception {
        for (String user : USERS) {
            a.open(user, "tab-" + user);
            awaitTracked(user, a);
            for (int i = 1; i <= 3; i++) {
                c.broker.publish(user, event(i));
            }
            await(user + "'s tab has three events", () -> a.count("tab-" + user) == 3);
            String epoch = a.events("tab-" + user).get(2).get("epoch").asText();
            a.close(user, "tab-" + user); // the network blips: the tab is gone from a
            await("a no longer tracks " + user, () -> !a.broker.tracks(user));
            long published = c.broker.statistics().published();
            c.broker.publish(user, event(4));
            c.broker.publish(user, event(5));
            await("both are sequenced (publish returns before)", () -> c.broker.statistics().published() == published + 2);

            b.open(user, "tab2-" + user); // the tab comes back through the load balancer, on b
            ResumeResult result = b.broker.resume(user, "tab2-" + user, epoch, 3, Node.RESULT);
            c.broker.publish(user, event(6));

            assertThat(result).as(user).isEqualTo(new ResumeResult(true, 2, epoch, 5));
            await(user + "'s tab has the live event after the result", () -> b.count("tab2-" + user) == 4);
            List<JsonNode> frames = b.frames("tab2-" + user).stream().map(Node::read).toList();
            assertThat(frames).extracting(f -> f.has("offset") ? "e" + f.get("offset").asLong()
                    : "r" + f.get("data").get("recovered").asBoolean()).as(user).containsExactly("e4", "e5", "rtrue", "e6");
        }
        assertThat(b.broker.statistics().resumesRecovered()).isEqualTo(3);
        assertThat(b.broker.statistics().eventsReplayed()).isEqualTo(6);
    }

    @Test
    void presenceCountsEveryNodeAcrossTheShardsAndADeadNodesHeartbeatExpires() throws Exception {
        // The nodes' presence keys are spread over the masters: reading presence crosses shards.
        Set<Integer> presenceMasters = new HashSet<>();
        for (String key : List.of("test:nodes", "test:node:a:users", "test:node:b:users", "test:node:c:users")) {
            presenceMasters.add(cluster.masterOf(key).port());
        }
        assertThat(presenceMasters).hasSizeGreaterThan(1);

        a.open("alice", "a1");
        a.open("alice", "a2");
        b.open("bob", "b1");
        c.open("erin", "c1");
        await("every node's users and connections are counted",
                () -> a.broker.presence().equals(new ClusterPresence(3, 3, 4)));
        assertThat(b.broker.presence()).isEqualTo(new ClusterPresence(3, 3, 4));
        assertThat(a.broker.isConnectedAnywhere("erin")).isTrue();
        assertThat(c.broker.isConnectedAnywhere("alice")).isTrue();
        assertThat(b.broker.isConnectedAnywhere("nobody")).isFalse();

        c.broker.halt(); // c dies without closing: its presence stays until its heartbeat expires (3 x 200 ms)
        await("c's heartbeat expires", () -> a.broker.presence().equals(new ClusterPresence(2, 2, 3)));
        assertThat(a.broker.isConnectedAnywhere("erin")).isFalse();
        assertThat(b.broker.isConnectedAnywhere("alice")).isTrue();

        b.close(); // a clean close removes b's presence at once
        assertThat(a.broker.presence()).isEqualTo(new ClusterPresence(1, 1, 2));
        assertThat(a.broker.isConnectedAnywhere("bob")).isFalse();
    }

    @Test
    void aMasterRestartedEmptyGivesItsUsersANewEpochWhileTheOtherMastersUsersKeepTheirStreams() throws Exception {
        a.open("alice", "a1");
        b.open("alice", "b1");
        a.open("bob", "a-bob");
        awaitTracked("alice", a, b);
        awaitTracked("bob", a);
        for (int i = 1; i <= 3; i++) {
            a.broker.publish("alice", event(i));
            a.broker.publish("bob", event(10 + i));
        }
        await("three events of each", () -> b.count("b1") == 3 && a.count("a-bob") == 3);
        String aliceEpoch = b.events("b1").get(0).get("epoch").asText();
        String bobEpoch = a.events("a-bob").get(0).get("epoch").asText();
        RedisServer alicesMaster = cluster.masterOf(meta("alice"));
        assertThat(cluster.masterOf(meta("bob"))).isNotSameAs(alicesMaster);

        alicesMaster.kill();
        await("a sees the outage", () -> !a.broker.isRedisReachable());
        for (int i = 0; i < 20; i++) {
            a.broker.publish("alice", event(100 + i)); // never throws, never waits for Redis
        }
        await("the failed publications are counted", () -> a.broker.eventsNotSequenced() == 20);
        assertThat(b.broker.resume("alice", "b1", aliceEpoch, 3, Node.RESULT).recovered()).isFalse();
        a.broker.publish("bob", event(14)); // bob's master is up: his stream goes on
        await("bob's fourth event", () -> a.count("a-bob") == 4);
        assertThat(a.events("a-bob").get(3).get("offset").asLong()).isEqualTo(4);
        assertThat(a.events("a-bob").get(3).get("epoch").asText()).isEqualTo(bobEpoch);

        alicesMaster.restart(); // same node id and slots (its nodes.conf), no data
        cluster.awaitOk();
        await("both nodes are back", () -> a.broker.isRedisReachable() && b.broker.isRedisReachable());
        // A publication can still meet the master before it serves again (CLUSTERDOWN): publish until one lands.
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int n = 4; !b.events("b1").stream().anyMatch(e -> !e.get("epoch").asText().equals(aliceEpoch)); n++) {
            assertThat(System.nanoTime()).as("an event after the restart reaches b").isLessThan(deadline);
            a.broker.publish("alice", event(n));
            Thread.sleep(200);
        }
        String newEpoch = b.events("b1").get(b.events("b1").size() - 1).get("epoch").asText();
        assertThat(newEpoch).isNotEqualTo(aliceEpoch);
        await("a has the same events of the new epoch as b", () -> newEpochFrames(a, "a1", newEpoch).equals(newEpochFrames(b, "b1", newEpoch)));
        assertThat(b.events("b1").stream().filter(e -> e.get("data").get("n").asInt() >= 100)).as("lost in the outage").isEmpty();

        ResumeResult oldEpoch = b.broker.resume("alice", "b1", aliceEpoch, 3, Node.RESULT);
        assertThat(oldEpoch.recovered()).isFalse();
        assertThat(oldEpoch.replayed()).isZero();
        assertThat(oldEpoch.epoch()).isEqualTo(newEpoch);
        a.broker.publish("bob", event(15));
        await("bob's fifth event", () -> a.count("a-bob") == 5);
        assertThat(a.events("a-bob").get(4).get("epoch").asText()).isEqualTo(bobEpoch);
        assertThat(a.offsets("a-bob")).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aSlotMovedToAnotherMasterWhileTheUserIsConnectedKeepsHerStreamEpochAndOffsets() throws Exception {
        a.open("alice", "a1");
        b.open("alice", "b1");
        awaitTracked("alice", a, b);
        for (int i = 1; i <= 3; i++) {
            c.broker.publish("alice", event(i));
        }
        await("three events on both nodes", () -> a.count("a1") == 3 && b.count("b1") == 3);
        String epoch = a.events("a1").get(0).get("epoch").asText();
        int slot = cluster.slot(meta("alice"));
        RedisServer before = cluster.masterOf(meta("alice"));
        RedisServer after = cluster.masterOf(meta("bob"));
        try {
            cluster.moveSlot(slot, after); // a resharding: alice's keys move, her old master unsubscribes her channel
            assertThat(cluster.masterOf(meta("alice"))).isSameAs(after);
            assertThat(after.command("XLEN", "test:{alice}:s")).isEqualTo(":3\r\n");
            await("a and b subscribe alice's channel again, on her new master",
                    () -> command(after, "PUBSUB", "SHARDNUMSUB", "test:{alice}:c").endsWith(":2\r\n"));
            for (int i = 4; i <= 6; i++) {
                c.broker.publish("alice", event(i)); // c's topology is stale until the MOVED it gets refreshes it
            }
            await("six events on both nodes", () -> a.count("a1") == 6 && b.count("b1") == 6);
            assertThat(a.offsets("a1")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(a.events("a1")).extracting(e -> e.get("data").get("n").asInt()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(a.events("a1")).allSatisfy(e -> assertThat(e.get("epoch").asText()).isEqualTo(epoch));
            assertThat(b.frames("b1")).isEqualTo(a.frames("a1"));
            // The topology refresh the MOVED set off opened and closed probe connections: no outage.
            await("no node sees an outage", () -> a.broker.isRedisReachable() && b.broker.isRedisReachable()
                    && c.broker.isRedisReachable());
            assertThat(a.broker.statistics().outageMillis() + b.broker.statistics().outageMillis()
                    + c.broker.statistics().outageMillis()).isZero();
        } finally {
            cluster.moveSlot(slot, before); // the other tests expect alice on her first master
        }
    }

    private static List<String> newEpochFrames(Node node, String connection, String epoch) {
        return node.events(connection).stream().filter(e -> e.get("epoch").asText().equals(epoch)).map(JsonNode::toString).toList();
    }

    @Test
    void aClusterBuilderNeedsASeedAndDatabaseZero() {
        assertThatThrownBy(RedisBroker::clusterBuilder).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Redis Cluster needs at least one seed URI");
        assertThatThrownBy(() -> RedisBroker.clusterBuilder("redis://127.0.0.1:7000/2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Redis Cluster has database 0 only, but a seed URI names database 2");
    }

    @Test
    void aClusterBrokerWithNoReachableSeedFailsToBuild() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String seed = "redis://127.0.0.1:" + port;
        assertThatThrownBy(() -> RedisBroker.clusterBuilder(seed).commandTimeout(java.time.Duration.ofMillis(500)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot connect to Redis Cluster at 127.0.0.1:" + port + ": ");
    }
}
