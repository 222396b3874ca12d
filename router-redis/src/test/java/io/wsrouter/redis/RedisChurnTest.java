package io.wsrouter.redis;

import io.wsrouter.testkit.RedisServer;
import static io.wsrouter.redis.Node.await;
import static io.wsrouter.redis.Node.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connections opening and closing on many threads at once: the node ends up listening to exactly its users' channels. */
class RedisChurnTest {

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

    @Test
    void churnOnEightThreadsLeavesTheNodeSubscribedToExactlyTheUsersItHasAndDeliveringToThem() throws Exception {
        Node a = new Node("a", redis, UnaryOperator.identity());
        Node b = new Node("b", redis, UnaryOperator.identity());
        nodes.add(a);
        nodes.add(b);
        int users = 40;
        Map<String, List<String>> open = new ConcurrentHashMap<>();
        for (int u = 0; u < users; u++) {
            open.put("user-" + u, new CopyOnWriteArrayList<>());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 300; i++) {
                    String user = "user-" + random.nextInt(users);
                    List<String> mine = open.get(user);
                    String connection = "t" + thread + "-" + i;
                    // Each thread closes only its own connections, so opens and closes of one connection never race.
                    String own = mine.stream().filter(c -> c.startsWith("t" + thread + "-")).findFirst().orElse(null);
                    if (own != null && random.nextBoolean()) {
                        mine.remove(own);
                        a.close(user, own);
                    } else {
                        mine.add(connection);
                        a.open(user, connection);
                    }
                    if (i % 10 == 0) {
                        b.broker.publish(user, event(i));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        List<String> connected = open.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        assertThat(a.broker.statistics().streams()).isEqualTo(connected.size());
        await("a listens to exactly the channels of its users", () -> {
            for (int u = 0; u < users; u++) {
                String user = "user-" + u;
                String reply;
                try {
                    reply = redis.command("PUBSUB", "SHARDNUMSUB", "test:{" + user + "}:c");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                boolean subscribed = reply.endsWith(":1\r\n");
                if (subscribed != connected.contains(user)) {
                    return false;
                }
            }
            return true;
        });
        await("a tracks its users", () -> connected.stream().allMatch(a.broker::tracks));
        for (String user : connected) {
            for (String c : open.get(user)) {
                a.outlet.received.get(c).clear();
            }
        }
        for (int u = 0; u < users; u++) {
            b.broker.publish("user-" + u, "{\"type\":\"final\",\"data\":{\"u\":" + u + "}}");
        }
        await("every open connection got its user's final event", () -> connected.stream()
                .allMatch(user -> open.get(user).stream().allMatch(c -> a.frames(c).stream().anyMatch(f -> f.contains("\"final\"")))));
        for (String user : connected) {
            for (String c : open.get(user)) {
                assertThat(a.frames(c)).filteredOn(f -> f.contains("\"final\"")).hasSize(1)
                        .allMatch(f -> f.contains("\"u\":" + user.substring(5) + "}"));
            }
        }
    }
}
