package io.wsrouter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * W3: retained heap per registered connection, besides the id strings themselves. Not a JMH benchmark:
 * one run per implementation, each in a fresh JVM ({@code BenchmarkSuite} starts them with
 * {@code -XX:+UseSerialGC}, whose used-heap figure after a full collection is exactly the live data).
 *
 * <p>Method: settle the heap (several {@code System.gc()} with pauses) and read the used heap from the
 * {@link MemoryMXBean}; allocate every user and connection id string (and, for Spring, the user
 * {@code Principal}s its authentication would have made anyway) and settle again: the difference is
 * the ids' own size; register every connection and settle again: that difference, divided by the
 * number of connections, is the figure reported.
 *
 * <p>Usage: {@code MemoryProbe <wsrouter|naive|spring-registry|spring-registry-broker> [users] [connectionsPerUser]};
 * prints one line {@code PROBE {json}}.
 */
public final class MemoryProbe {

    /** Default population: 250,000 users with 4 connections each, one million connections. */
    public static final int DEFAULT_USERS = 250_000;
    /** Connections per user by default. */
    public static final int DEFAULT_CONNECTIONS_PER_USER = 4;

    private MemoryProbe() {
    }

    /**
     * Runs one probe.
     *
     * @param args implementation name, then optionally users and connections per user
     * @throws InterruptedException if interrupted while settling the heap
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: MemoryProbe <wsrouter|naive|spring-registry|spring-registry-broker> [users] [connectionsPerUser]");
        }
        String implementation = args[0];
        int users = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_USERS;
        int perUser = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_CONNECTIONS_PER_USER;
        System.out.println("PROBE " + measure(implementation, users, perUser).toJson());
    }

    /** One probe's figures. */
    record Result(String implementation, int users, int connections, long idBytes, long retainedBytes) {

        double bytesPerConnection() {
            return (double) retainedBytes / connections;
        }

        double idBytesPerConnection() {
            return (double) idBytes / connections;
        }

        String toJson() {
            return String.format(Locale.ROOT, "{\"implementation\":\"%s\",\"users\":%d,\"connections\":%d,"
                            + "\"idBytes\":%d,\"retainedBytes\":%d,\"bytesPerConnection\":%.1f,\"idBytesPerConnection\":%.1f}",
                    implementation, users, connections, idBytes, retainedBytes, bytesPerConnection(), idBytesPerConnection());
        }
    }

    static Result measure(String implementation, int users, int perUser) throws InterruptedException {
        long empty = settledHeap();
        Population population = new Population(users, perUser);
        UserPrincipal[] principals = population.principals();
        int[] owners = population.owners();
        long withIds = settledHeap();
        Object registered = register(implementation, population, principals, owners);
        long after = settledHeap();
        Reference.reachabilityFence(registered);
        Reference.reachabilityFence(population);
        Reference.reachabilityFence(principals);
        Reference.reachabilityFence(owners);
        return new Result(implementation, users, population.connections.length, withIds - empty, after - withIds);
    }

    static Object register(String implementation, Population population, UserPrincipal[] principals,
                                   int[] owners) {
        switch (implementation) {
            case "wsrouter":
                return WsrouterSetup.emitRouter(new CountingTransport(), population);
            case "naive": {
                NaiveConnectionPool pool = new NaiveConnectionPool(new CountingTransport());
                for (int c = 0; c < population.connections.length; c++) {
                    pool.registerConnection(population.ownerOf(c), population.connections[c]);
                }
                return pool;
            }
            case "spring-registry":
            case "spring-registry-broker": {
                boolean broker = implementation.endsWith("broker");
                SpringUserMessaging spring = new SpringUserMessaging(SpringUserMessaging.CacheMode.DEFAULT,
                        population.connections.length, broker);
                spring.populate(principals, owners, population.connections);
                return spring;
            }
            default:
                throw new IllegalArgumentException("unknown implementation '" + implementation + "'");
        }
    }

    static long settledHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
