package io.wsrouter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test WebSocket client (JDK's java.net.http) that records every JSON frame it receives. */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int closeCode = -1;
    private final WebSocket socket;

    private WsClient(HttpClient http, URI uri) {
        this.socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, this)
                .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Connects as the user and waits until the router has registered the connection. */
    static WsClient connect(HttpClient http, DemoServer server, String user) throws InterruptedException {
        WsClient client = new WsClient(http, URI.create("ws://" + server.host() + ":" + server.port() + "/ws?user=" + user));
        client.send("{\"type\":\"connect\"}");
        client.await(f -> "system_message".equals(f.path("type").asText())
                && "connected".equals(f.path("data").path("status").asText()));
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Waits for the next frame matching the predicate, skipping (but recording) the others. */
    JsonNode await(Predicate<JsonNode> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode frame = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within " + TIMEOUT + "; received " + received);
            }
            if (matching.test(frame)) {
                return frame;
            }
        }
    }

    /** @return every frame received so far, in arrival order */
    List<JsonNode> received() {
        return new ArrayList<>(received);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode frame = MAPPER.readTree(partial.toString());
                received.add(frame);
                inbox.add(frame);
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + partial, e);
            } finally {
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        closed.countDown();
        return null;
    }

    /** Waits until the server closed this socket; returns the close code. */
    int awaitClosedByServer() throws InterruptedException {
        if (!closed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not close the socket within " + TIMEOUT);
        }
        return closeCode;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
