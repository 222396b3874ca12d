package io.wsrouter.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.testkit.RedisServer;
import io.wsrouter.testkit.WsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two demo servers as separate JVM processes ({@code DemoServer <port> --redis <uri>}) on a private
 * redis-server: a user's connections on both nodes get one agent run, with the same offsets, in one order.
 */
class TwoNodeDemoTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> RUN_EVENTS = List.of("agent_started", "agent_thinking", "agent_thinking",
            "tool_executing", "tool_completed", "agent_thinking", "agent_completed");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private static String missing;
    private static RedisServer redis;
    private static Path logs;
    private static final List<Process> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();
    private static HttpClient http;

    @BeforeAll
    static void startRedisAndTwoNodes() throws Exception {
        missing = RedisServer.missing();
        if (missing != null) {
            return;
        }
        redis = RedisServer.start();
        logs = Files.createTempDirectory("wsrouter-two-nodes-");
        http = HttpClient.newHttpClient();
        for (int n = 1; n <= 2; n++) {
            int port = freePort();
            ports.add(port);
            nodes.add(startNode(n, port));
        }
        for (int n = 0; n < 2; n++) {
            awaitHttp(n);
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            for (Process node : nodes) {
                node.destroy(); // SIGTERM: the shutdown hook closes the router and its RedisBroker
            }
            for (Process node : nodes) {
                if (!node.waitFor(20, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                    node.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void aUserMessageOnOneNodeStreamsTheSameRunWithTheSameOffsetsToTheUsersConnectionsOnBothNodesAndNoOneElse()
            throws Exception {
        Assumptions.assumeTrue(missing == null, () -> missing);
        try (WsClient aliceOnNode1 = connect(0, "alice");
             WsClient aliceOnNode2 = connect(1, "alice");
             WsClient bobOnNode2 = connect(1, "bob")) {

            settle(aliceOnNode1, aliceOnNode2);
            int before1 = aliceOnNode1.frames().size();
            int before2 = aliceOnNode2.frames().size();

            aliceOnNode1.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"hello router world\"},\"message_id\":\"m-1\"}");

            List<List<JsonNode>> runs = new ArrayList<>();
            for (WsClient alice : List.of(aliceOnNode1, aliceOnNode2)) {
                alice.awaitFrame(f -> isRunEvent(f, "m-1") && "agent_completed".equals(f.path("type").asText()));
                runs.add(alice.frames().stream().filter(f -> isRunEvent(f, "m-1")).collect(Collectors.toList()));
            }
            List<JsonNode> onNode1 = runs.get(0);
            List<JsonNode> onNode2 = runs.get(1);
            assertThat(onNode1).extracting(f -> f.path("type").asText()).containsExactlyElementsOf(RUN_EVENTS);
            assertThat(onNode1).allSatisfy(f -> assertThat(f.has("offset")).as("sequenced: %s", f).isTrue());
            List<Long> offsets = onNode1.stream().map(f -> f.path("offset").asLong()).collect(Collectors.toList());
            for (int i = 1; i < offsets.size(); i++) {
                assertThat(offsets.get(i)).as("offsets %s", offsets).isEqualTo(offsets.get(i - 1) + 1);
            }
            // The very same frames (types, offsets, run id, payloads) in the very same order on the other node.
            assertThat(onNode2).isEqualTo(onNode1);
            // Nothing else of alice's stream slipped in between on either node.
            assertThat(aliceOnNode1.frames().subList(before1, aliceOnNode1.frames().size()))
                    .filteredOn(f -> f.has("offset")).isEqualTo(onNode1);
            assertThat(aliceOnNode2.frames().subList(before2, aliceOnNode2.frames().size()))
                    .filteredOn(f -> f.has("offset")).isEqualTo(onNode2);

            // Frames to one connection leave in order: once bob's pong is back, anything sent to him earlier is too.
            bobOnNode2.send("{\"type\":\"ping\"}");
            bobOnNode2.awaitFrame(f -> "pong".equals(f.path("type").asText()));
            assertThat(bobOnNode2.frames()).extracting(f -> f.path("type").asText()).containsExactly("system_message", "pong");

            JsonNode cluster1 = stats(0).path("cluster");
            JsonNode cluster2 = stats(1).path("cluster");
            assertThat(cluster1.path("redis").asBoolean()).isTrue();
            assertThat(cluster1.path("redis_reachable").asBoolean()).isTrue();
            assertThat(cluster1.path("node_id").asText()).isNotBlank().isNotEqualTo(cluster2.path("node_id").asText());
            // Presence comes from the nodes' heartbeats (every 5 s): wait (bounded) until node 1 sees both
            // nodes and all three connections.
            long deadline = System.nanoTime() + SETTLE.toNanos();
            JsonNode presence = stats(0).path("cluster");
            while ((presence.path("nodes").asInt() != 2 || presence.path("connections").asLong() != 3)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
                presence = stats(0).path("cluster");
            }
            assertThat(presence.path("nodes").asInt()).as("%s", presence).isEqualTo(2);
            assertThat(presence.path("connections").asLong()).as("%s", presence).isEqualTo(3);
            assertThat(presence.path("users").asLong()).as("%s", presence).isEqualTo(2);
        }
    }

    private static boolean isRunEvent(JsonNode frame, String messageId) {
        String type = frame.path("type").asText();
        return (type.startsWith("agent_") || type.startsWith("tool_")) && messageId.equals(frame.path("correlation_id").asText());
    }

    /**
     * Waits until node 2 delivers alice's stream: a node learns where a user's stream stands
     * asynchronously after the connection registers (as a connection misses events emitted before it
     * exists), so warm-up runs go out from node 1 until alice's connection on node 2 has seen one of
     * their events, then the last warm-up run has finished on both.
     */
    private static void settle(WsClient aliceOnNode1, WsClient aliceOnNode2) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int run = 0;
        while (true) {
            String id = "warmup-" + (++run);
            aliceOnNode1.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"warm up\"},\"message_id\":\"" + id + "\"}");
            aliceOnNode1.awaitFrame(f -> isRunEvent(f, id) && "agent_completed".equals(f.path("type").asText()));
            if (aliceOnNode2.frames().stream().anyMatch(f -> f.path("correlation_id").asText().startsWith("warmup-"))) {
                aliceOnNode2.awaitFrame(f -> isRunEvent(f, id) && "agent_completed".equals(f.path("type").asText()));
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("alice's events did not reach node 2 within " + SETTLE + "; node 2 log: " + log(1));
            }
            Thread.sleep(200);
        }
    }

    private static Process startNode(int n, int port) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-D" + DemoServer.HOST_PROPERTY + "=127.0.0.1",
                "-D" + DemoServer.STEP_DELAY_PROPERTY + "=10",
                "-cp", classPath, DemoServer.class.getName(), Integer.toString(port), DemoServer.REDIS_OPTION, redis.uri());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("node" + n + ".log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly)); // a killed test JVM leaves no node behind
        return process;
    }

    /** Polls {@code GET /stats} until the node answers 200; fails with its log when it dies or does not come up. */
    private static void awaitHttp(int node) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base(node).resolve("/stats"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!nodes.get(node).isAlive()) {
                throw new IllegalStateException("demo node " + (node + 1) + " exited with " + nodes.get(node).exitValue()
                        + ": " + log(node));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("demo node " + (node + 1) + " did not answer HTTP within " + STARTUP + ": " + log(node));
            }
            Thread.sleep(100);
        }
    }

    private static String log(int node) {
        try {
            return Files.readString(logs.resolve("node" + (node + 1) + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static URI base(int node) {
        return URI.create("http://127.0.0.1:" + ports.get(node) + "/");
    }

    private static JsonNode stats(int node) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base(node).resolve("/stats"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    /** Connects as the user to a node and waits until that node's router has registered the connection. */
    private static WsClient connect(int node, String user) throws Exception {
        WsClient client = WsClient.connect(http, URI.create("ws://127.0.0.1:" + ports.get(node) + "/ws?user=" + user),
                user + "@node" + (node + 1));
        client.send("{\"type\":\"connect\"}");
        client.awaitFrame(f -> "system_message".equals(f.path("type").asText())
                && "connected".equals(f.path("data").path("status").asText()));
        return client;
    }
}
