package io.wsrouter.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's {@code java.net.http.WebSocket}) that records every
 * text frame it receives, parsed as JSON, in arrival order, and how the connection ended.
 *
 * <pre>{@code
 * WsClient alice = WsClient.connect(http, URI.create("ws://127.0.0.1:" + port + "/ws"), "alice");
 * alice.send("{\"type\":\"ping\"}");
 * JsonNode pong = alice.awaitFrame(f -> "pong".equals(f.path("type").asText()));
 * alice.close();
 * }</pre>
 *
 * <p><b>Thread safety:</b> every method may be called from any thread; sends are serialised (the JDK
 * client allows one at a time).
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    /** How long the waits without an explicit timeout wait: 20 s (generous: the machine may be busy). */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String user;
    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile int closeStatus = -1;
    private volatile String closeReason;
    private volatile Throwable error;
    private volatile WebSocket socket;

    private WsClient(String user) {
        this.user = Objects.requireNonNull(user, "user");
    }

    /**
     * Opens a connection and waits for the handshake.
     *
     * @param user a label for messages (the server decides who the connection belongs to)
     * @throws CompletionException when the handshake fails (its cause: {@link WebSocketHandshakeException}, ...)
     */
    public static WsClient connect(HttpClient http, URI uri, String user) {
        return connect(http, uri, user, Map.of());
    }

    /** As {@link #connect(HttpClient, URI, String)}, sending extra handshake headers ({@code Origin}, ...). */
    public static WsClient connect(HttpClient http, URI uri, String user, Map<String, String> headers) {
        WsClient client = new WsClient(user);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        client.socket = join(builder.buildAsync(uri, client));
        return client;
    }

    /**
     * Waits at most {@link #TIMEOUT}, without {@code orTimeout} (whose JDK scheduler thread would
     * outlive the test and show up in thread-leak checks).
     *
     * @throws CompletionException with the failure as cause, or a {@link TimeoutException}
     */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /**
     * Tries a handshake and reports the server's answer.
     *
     * @return 101 when the server upgraded (the socket is then closed again), else the HTTP status it refused with
     */
    public static int handshakeStatus(HttpClient http, URI uri, Map<String, String> headers) {
        WsClient client;
        try {
            client = connect(http, uri, "handshake", headers);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        client.close();
        return 101;
    }

    /** @return the label given at {@link #connect} */
    public String user() {
        return user;
    }

    // ---------------------------------------------------------------- WebSocket.Listener

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            JsonNode json;
            try {
                json = MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("the server sent a frame that is not JSON: " + text, e);
            }
            synchronized (frames) {
                frames.add(json);
                frames.notifyAll();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeStatus = statusCode;
        closeReason = reason;
        ended.countDown();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable failure) {
        error = failure;
        ended.countDown();
    }

    // ---------------------------------------------------------------- test side

    /** Sends one text frame and waits until it was written. */
    public synchronized void send(String text) {
        join(socket.sendText(text, true));
    }

    /** Sends one binary frame and waits until it was written. */
    public synchronized void sendBinary(ByteBuffer data) {
        join(socket.sendBinary(data, true));
    }

    /** @return a copy of the frames received so far, in arrival order */
    public List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** {@link #awaitFrames(int, Duration)} with {@link #TIMEOUT}. */
    public List<JsonNode> awaitFrames(int count) throws InterruptedException, TimeoutException {
        return awaitFrames(count, TIMEOUT);
    }

    /** Waits until at least {@code count} frames arrived; returns them all. */
    public List<JsonNode> awaitFrames(int count, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (frames.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(user + " received " + frames.size() + " of " + count + " frames: " + frames);
                }
                TimeUnit.NANOSECONDS.timedWait(frames, left);
            }
            return List.copyOf(frames);
        }
    }

    /** {@link #awaitFrame(Predicate, Duration)} with {@link #TIMEOUT}. */
    public JsonNode awaitFrame(Predicate<JsonNode> match) throws InterruptedException, TimeoutException {
        return awaitFrame(match, TIMEOUT);
    }

    /** Waits for the first frame (received so far or later) that matches; returns it. */
    public JsonNode awaitFrame(Predicate<JsonNode> match, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                for (JsonNode frame : frames) {
                    if (match.test(frame)) {
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(user + " received no matching frame among " + frames);
                }
                TimeUnit.NANOSECONDS.timedWait(frames, left);
            }
        }
    }

    /** @return whether the connection ended (a close frame from the server, or an error such as an abort) within the timeout */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @return the status of the server's close frame; 1006 when the TCP connection ended without one
     *         (the server aborted it: 1006 is never sent on the wire, the JDK client reports it); -1 while open
     */
    public int closeStatus() {
        return closeStatus;
    }

    /** @return the reason of the server's close frame; null without one */
    public String closeReason() {
        return closeReason;
    }

    /** @return the error the JDK client reported, if the connection ended with one; null otherwise */
    public Throwable error() {
        return error;
    }

    /**
     * Closes normally, waits for the server's close, and aborts if it does not come. Idempotent. An
     * interrupt while waiting aborts at once and keeps the thread's interrupt flag.
     */
    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        try {
            if (!ws.isOutputClosed()) {
                CompletableFuture<WebSocket> sent = ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").toCompletableFuture();
                try {
                    sent.get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    ws.abort();
                }
            }
            ended.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ws.abort();
        }
    }

    @Override
    public String toString() {
        return "WsClient[" + user + "]";
    }
}
