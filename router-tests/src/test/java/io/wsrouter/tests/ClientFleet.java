package io.wsrouter.tests;

import io.wsrouter.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of the end-to-end tests: one {@link HttpClient} on an executor the fleet owns, and
 * every {@link WsClient} it opened, all closed by {@link #close()}.
 */
final class ClientFleet {

    static final String THREAD_PREFIX = "e2e-client-";

    private final ExecutorService executor;
    private HttpClient http;
    private final List<WsClient> clients = new CopyOnWriteArrayList<>();

    ClientFleet() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, THREAD_PREFIX + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(4, threads);
        this.http = HttpClient.newBuilder().executor(executor).build();
    }

    /** Opens a connection and waits for the handshake. */
    WsClient connect(URI uri, String user) {
        WsClient client = WsClient.connect(http, uri, user);
        clients.add(client);
        return client;
    }

    List<WsClient> clients() {
        return List.copyOf(clients);
    }

    void close() throws InterruptedException {
        for (WsClient client : clients) {
            client.close();
        }
        clients.clear();
        // Java 17's HttpClient has no close(): its selector thread ends once the client is unreachable.
        http = null;
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }
}
