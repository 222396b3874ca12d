package io.wsrouter.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private Redis Cluster for one test class: {@code n} {@link RedisServer}s in cluster mode (masters
 * only, no replicas) on free loopback ports, joined with {@code redis-cli --cluster create}, each with
 * its cluster config in its own temp dir, no persistence. A node that is {@linkplain RedisServer#restart()
 * restarted} keeps its node id and its slots (its {@code nodes-<port>.conf}) but not its data: a master
 * that crashed and came back empty. The masters keep serving their slots while another is down
 * ({@code cluster-require-full-coverage no}).
 *
 * <p>{@link #missing()} says why it cannot start (no redis-server or redis-cli), and fails instead when
 * {@code CI=true}, as {@link RedisServer#missing()} does.
 *
 * <pre>{@code
 * String missing = RedisCluster.missing();         // null when redis-server and redis-cli are installed
 * Assumptions.assumeTrue(missing == null, missing);
 * try (RedisCluster cluster = RedisCluster.start(3)) {
 *     RedisBroker broker = RedisBroker.clusterBuilder(cluster.seedUris()).build();
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

    /** The redis-cli binary: {@code -Dwsrouter.redis.cli}, default {@code /usr/bin/redis-cli}. */
    public static final Path CLI = Path.of(System.getProperty("wsrouter.redis.cli", "/usr/bin/redis-cli"));

    /** Slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /**
     * @return why a cluster cannot be started here (with the install hint), or null when it can
     * @throws AssertionError when redis-server or redis-cli is missing and {@code CI=true}
     */
    public static String missing() {
        String server = RedisServer.missing();
        if (server != null || Files.isExecutable(CLI)) {
            return server;
        }
        String message = "redis-cli (" + CLI + ") is missing: install it with "
                + "`apt-get install -y redis-tools` (Debian/Ubuntu) or set -Dwsrouter.redis.cli=/path/to/redis-cli";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI=true, so the Redis Cluster tests must run");
        }
        System.err.println("Redis Cluster tests skipped: " + message);
        return message;
    }

    /**
     * Starts {@code masters} servers in cluster mode, gives them the 16384 slots in equal ranges (in
     * the order of {@link #nodes()}) and waits until every one of them reports {@code cluster_state:ok}.
     *
     * @param masters how many masters (at least 3, as {@code redis-cli --cluster create} requires)
     * @return the cluster, ready
     */
    public static RedisCluster start(int masters) throws Exception {
        List<RedisServer> servers = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(servers);
        try {
            for (int i = 0; i < masters; i++) {
                servers.add(RedisServer.start(freePort(), List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes-{port}.conf", "--cluster-node-timeout", "3000",
                        "--cluster-require-full-coverage", "no")));
            }
            List<String> create = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
            servers.forEach(s -> create.add("127.0.0.1:" + s.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Path log = servers.get(0).dir().resolve("cluster-create.log");
            Process process = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
            }
            cluster.awaitOk();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** @return the servers, in the order their slot ranges were given (the first has slot 0) */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** @return {@code redis://127.0.0.1:port} of every node, for {@code RedisBroker.clusterBuilder} */
    public String[] seedUris() {
        return nodes.stream().map(RedisServer::uri).toArray(String[]::new);
    }

    /**
     * Asks the cluster ({@code CLUSTER KEYSLOT}) which slot holds the key.
     *
     * @param key the key
     * @return its slot
     */
    public int slot(String key) throws IOException {
        String reply = nodes.get(0).command("CLUSTER", "KEYSLOT", key);
        if (!reply.startsWith(":")) {
            throw new IllegalStateException("CLUSTER KEYSLOT " + key + " answered " + reply);
        }
        return Integer.parseInt(reply.substring(1).trim());
    }

    /**
     * Asks the cluster ({@code CLUSTER NODES}) which master serves the key's slot.
     *
     * @param key the key
     * @return the master that serves it
     */
    public RedisServer masterOf(String key) throws IOException {
        return ownerOf(slot(key));
    }

    /**
     * Moves one slot, with its keys, to another master as {@code redis-cli --cluster reshard} does:
     * IMPORTING on the target, MIGRATING on the source, MIGRATE of every key, then the slot's new owner
     * told to the target, the source and the others. Clients of the source then get MOVED for the slot,
     * and its sharded channels' subscribers are unsubscribed by the source.
     *
     * @param slot the slot
     * @param to   the master that is to serve it
     */
    public void moveSlot(int slot, RedisServer to) throws IOException {
        RedisServer from = ownerOf(slot);
        if (from == to) {
            throw new IllegalArgumentException("slot " + slot + " is on port " + to.port() + " already");
        }
        String toId = id(to);
        String fromId = id(from);
        expectOk(to.command("CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", fromId));
        expectOk(from.command("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", toId));
        while (true) {
            List<String> keys = new ArrayList<>();
            for (String line : from.command("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "100").split("\r\n")) {
                if (!line.isEmpty() && !line.startsWith("*") && !line.startsWith("$")) {
                    keys.add(line);
                }
            }
            if (keys.isEmpty()) {
                break;
            }
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(to.port()), "", "0", "5000", "KEYS"));
            migrate.addAll(keys);
            expectOk(from.command(migrate.toArray(String[]::new)));
        }
        expectOk(to.command("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId));
        expectOk(from.command("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId));
        for (RedisServer node : nodes) {
            if (node != to && node != from) {
                expectOk(node.command("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId));
            }
        }
    }

    private RedisServer ownerOf(int slot) throws IOException {
        for (String line : nodes.get(0).command("CLUSTER", "NODES").split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a slot being migrated or imported
                }
                String[] range = fields[i].split("-");
                int first = Integer.parseInt(range[0]);
                int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
                if (slot >= first && slot <= last) {
                    int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                    return nodes.stream().filter(n -> n.port() == port).findFirst()
                            .orElseThrow(() -> new IllegalStateException("slot " + slot + " is on an unknown node: " + line));
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    private static String id(RedisServer node) throws IOException {
        String reply = node.command("CLUSTER", "MYID");
        String[] lines = reply.split("\r\n");
        return lines[lines.length - 1];
    }

    private static void expectOk(String reply) {
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("expected OK but Redis answered " + reply.strip());
        }
    }

    /** Waits (up to 30 s) until every node reports {@code cluster_state:ok}, knows every node and sees every slot assigned. */
    public void awaitOk() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (RedisServer node : nodes) {
            while (true) {
                String info = "";
                try {
                    info = node.command("CLUSTER", "INFO");
                } catch (IOException notYet) {
                    // restarting
                }
                if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size() + "\r")
                        && info.contains("cluster_slots_assigned:" + SLOTS + "\r")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not become ok; node " + node.port() + " says: " + info);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Empties every master ({@code FLUSHALL} on each: in a cluster FLUSHALL empties one node). */
    public void flushAll() throws IOException {
        for (RedisServer node : nodes) {
            node.command("FLUSHALL");
        }
    }

    /** Stops every node and deletes its directory. */
    @Override
    public void close() throws IOException {
        for (RedisServer node : nodes) {
            node.close();
        }
    }

    /**
     * A free loopback port whose cluster bus port (port + 10000) is free too, below the ephemeral range
     * (so the bus port exists and no outgoing connection takes either meanwhile).
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(12000, 22000);
            if (free(port) && free(port + 10000)) {
                return port;
            }
        }
        throw new IOException("no free pair of loopback ports (port, port + 10000) for a cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        } catch (IOException taken) {
            return false;
        }
    }
}
