package io.wsrouter.events;

import java.util.concurrent.CompletableFuture;

/**
 * Measures the pool's heap per registered connection, besides the id strings: 1,000,000 connections
 * for 250,000 users. A manual probe, not a test (timing and heap figures depend on the machine).
 * Run from the module directory after {@code mvn test-compile}:
 * <pre>{@code
 * java -Xmx2g -cp target/classes:target/test-classes:<router-core classes, jackson, slf4j> io.wsrouter.events.PoolMemoryProbe
 * }</pre>
 */
final class PoolMemoryProbe {

    private PoolMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 250_000;
        int perUser = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String[] userIds = new String[users];
        String[] connectionIds = new String[users * perUser];
        for (int u = 0; u < users; u++) {
            userIds[u] = "user-" + u;
            for (int k = 0; k < perUser; k++) {
                connectionIds[u * perUser + k] = "conn-" + u + "-" + k;
            }
        }
        long before = usedHeap();
        ConnectionPool pool = ConnectionPool.builder((id, frame) -> CompletableFuture.completedFuture(null)).build();
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < perUser; k++) {
                pool.admit(userIds[u], connectionIds[u * perUser + k]);
            }
        }
        // One frame to every user: queues stay empty, nothing is retained per connection.
        for (String user : userIds) {
            pool.sendToUser(user, "{\"type\":\"ping\"}");
        }
        long after = usedHeap();
        int connections = pool.activeConnections();
        System.out.printf("connections=%d users=%d pool bytes=%d bytes/connection=%.1f%n",
                connections, pool.connectedUsers(), after - before, (after - before) / (double) connections);
        pool.close();
        // Keep the ids reachable until after the measurement.
        System.out.println(userIds.length + connectionIds.length > 0 ? "" : "unreachable");
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
