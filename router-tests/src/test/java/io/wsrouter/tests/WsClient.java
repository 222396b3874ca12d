package io.wsrouter.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One real client connection ({@code java.net.http.WebSocket}) that records every text frame it
 * receives, parsed as JSON, in arrival order. Thread-safe.
 */
final class WsClient implements WebSocket.Listener {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String user;
    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int closeStatus = -1;
    private volatile WebSocket socket;

    WsClient(String user) {
        this.user = user;
    }

    String user() {
        return user;
    }

    void attach(WebSocket webSocket) {
        this.socket = webSocket;
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
            } catch (java.io.IOException e) {
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
        closed.countDown();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.countDown();
    }

    // ---------------------------------------------------------------- test side

    /** Sends one text frame and waits until it was written (the JDK client allows one send at a time). */
    synchronized void send(String text) {
        socket.sendText(text, true).join();
    }

    /** @return a copy of the frames received so far, in arrival order */
    List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** Waits until at least {@code count} frames arrived; returns them all. */
    List<JsonNode> awaitFrames(int count, Duration timeout) throws InterruptedException, TimeoutException {
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

    /** Waits for the first frame that matches; returns it. */
    JsonNode awaitFrame(Predicate<JsonNode> match, Duration timeout) throws InterruptedException, TimeoutException {
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

    /** @return whether the server closed the connection within the timeout */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int closeStatus() {
        return closeStatus;
    }

    /** Closes normally, waits for the server's close, and aborts if it does not come. */
    void close() throws InterruptedException {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        if (!ws.isOutputClosed()) {
            CompletableFuture<WebSocket> sent = ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").toCompletableFuture();
            try {
                sent.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                ws.abort();
            }
        }
        if (!closed.await(5, TimeUnit.SECONDS)) {
            ws.abort();
        }
        ws.abort();
    }

    @Override
    public String toString() {
        return "WsClient[" + user + "]";
    }

    static Duration timeout() {
        return Duration.ofSeconds(20);
    }
}
