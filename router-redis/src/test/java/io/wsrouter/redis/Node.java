package io.wsrouter.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.Broker;
import io.wsrouter.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** One "node" of a test cluster: a RedisBroker with its own Lettuce connections, bound to a fake outlet. */
final class Node implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Function<io.wsrouter.core.ResumeResult, String> RESULT = r -> "{\"type\":\"resume_result\",\"data\":"
            + "{\"recovered\":" + r.recovered() + ",\"replayed\":" + r.replayed() + ",\"epoch\":\"" + r.epoch()
            + "\",\"offset\":" + r.offset() + "}}";

    final String name;
    final RedisBroker broker;
    final Outlet outlet = new Outlet();

    Node(String name, RedisServer redis, UnaryOperator<RedisBroker.Builder> settings) {
        this(name, RedisBroker.builder(redis.uri()), settings);
    }

    /** A node built from the given builder (e.g. {@link RedisBroker#clusterBuilder}) with the tests' settings. */
    Node(String name, RedisBroker.Builder builder, UnaryOperator<RedisBroker.Builder> settings) {
        this.name = name;
        this.broker = settings.apply(builder.nodeId(name)
                .keyPrefix("test:").commandTimeout(Duration.ofSeconds(2))
                .heartbeatInterval(Duration.ofMillis(200))).build();
        broker.bind(outlet);
    }

    void open(String user, String connection) {
        outlet.open(user, connection);
        broker.connectionOpened(user, connection);
    }

    void close(String user, String connection) {
        outlet.close(user, connection);
        broker.connectionClosed(user, connection);
    }

    List<String> frames(String connection) {
        synchronized (outlet) {
            return new ArrayList<>(outlet.received.get(connection));
        }
    }

    /** @return how many frames the connection received (cheap: for polling) */
    int count(String connection) {
        return outlet.received.get(connection).size();
    }

    List<Long> offsets(String connection) {
        List<Long> offsets = new ArrayList<>();
        for (String frame : frames(connection)) {
            JsonNode node = read(frame);
            if (node.has("offset")) {
                offsets.add(node.get("offset").asLong());
            }
        }
        return offsets;
    }

    List<JsonNode> events(String connection) {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : frames(connection)) {
            JsonNode node = read(frame);
            if (node.has("offset")) {
                events.add(node);
            }
        }
        return events;
    }

    @Override
    public void close() {
        broker.close();
    }

    static JsonNode read(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }

    static String event(int n) {
        return "{\"type\":\"agent_thinking\",\"data\":{\"n\":" + n + "}}";
    }

    /** Waits (polling) until the condition holds; fails after a generous bound so a bug cannot hang the build. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A node's connections: user -> connection ids, and what each connection received, in order. */
    static final class Outlet implements Broker.Outlet {
        final Map<String, List<String>> connections = new ConcurrentHashMap<>();
        final Map<String, List<String>> received = new ConcurrentHashMap<>();

        void open(String user, String connection) {
            received.computeIfAbsent(connection, c -> Collections.synchronizedList(new ArrayList<>()));
            connections.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(connection);
        }

        void close(String user, String connection) {
            connections.getOrDefault(user, List.of()).remove(connection);
        }

        @Override
        public synchronized int sendToUser(String userId, String frame) {
            List<String> mine = connections.getOrDefault(userId, List.of());
            mine.forEach(c -> received.get(c).add(frame));
            return mine.size();
        }

        @Override
        public synchronized boolean sendToConnection(String userId, String connectionId, String frame) {
            if (!connections.getOrDefault(userId, List.of()).contains(connectionId)) {
                return false;
            }
            received.get(connectionId).add(frame);
            return true;
        }

        @Override
        public boolean isConnected(String userId) {
            return !connections.getOrDefault(userId, List.of()).isEmpty();
        }
    }
}
