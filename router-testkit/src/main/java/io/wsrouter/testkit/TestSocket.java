package io.wsrouter.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A real WebSocket client for the adapters' tests ({@code java.net.http.WebSocket}): records every
 * text frame it receives, in arrival order, and how the connection ended (a close frame's code, or
 * {@link #ABORTED} when the connection broke without one). Thread-safe.
 *
 * <pre>{@code
 * TestSocket alice = TestSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), Map.of("X-User", "alice"));
 * alice.send("{\"type\":\"ping\"}");
 * String pong = alice.awaitFrame(f -> f.contains("\"pong\""), TestSocket.PATIENCE);
 * alice.close();
 * }</pre>
 */
public final class TestSocket implements WebSocket.Listener, AutoCloseable {

    /** How long the tests wait for something that should happen: generous, never a timing assertion. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);
    /** {@link #closeCode()} of a connection that ended without a close frame (an abort). */
    public static final int ABORTED = 1006;

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final List<String> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final boolean reading;
    private volatile int closeCode = -1;
    private volatile String closeReason = "";
    private volatile WebSocket socket;

    private TestSocket(boolean reading) {
        this.reading = reading;
    }

    /**
     * Opens a connection and waits for the handshake.
     *
     * @throws HandshakeRefused when the server answered the handshake with an HTTP status
     */
    public static TestSocket connect(URI uri, Map<String, String> headers) throws InterruptedException {
        return open(uri, headers, true);
    }

    /**
     * Opens a connection that reads one frame and then stops reading: the server's writes stall once
     * the TCP buffers are full (a peer that stopped reading). {@link #resumeReading()} reads on.
     */
    public static TestSocket connectWithoutReading(URI uri, Map<String, String> headers) throws InterruptedException {
        return open(uri, headers, false);
    }

    private static TestSocket open(URI uri, Map<String, String> headers, boolean reading) throws InterruptedException {
        TestSocket listener = new TestSocket(reading);
        WebSocket.Builder builder = CLIENT.newWebSocketBuilder().connectTimeout(PATIENCE);
        headers.forEach(builder::header);
        try {
            listener.socket = builder.buildAsync(uri, listener).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            return listener;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException) {
                throw new HandshakeRefused(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
            }
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no handshake answer from " + uri, e);
        }
    }

    /** The server refused the handshake with an HTTP status (no socket). */
    public static final class HandshakeRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HandshakeRefused(int status) {
            super("handshake refused with HTTP " + status);
            this.status = status;
        }

        /** @return the HTTP status of the refusal */
        public int status() {
            return status;
        }
    }

    // ---------------------------------------------------------------- WebSocket.Listener

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (frames) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
                frames.notifyAll();
            }
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        closeReason = reason;
        ended.countDown();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode = ABORTED;
        ended.countDown();
    }

    // ---------------------------------------------------------------- test side

    /** Sends one text frame and waits until it was written. */
    public synchronized void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends one binary frame and waits until it was written. */
    public synchronized void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Reads again (after {@link #connectWithoutReading}). */
    public void resumeReading() {
        socket.request(Long.MAX_VALUE);
    }

    /** @return a copy of the text frames received so far, in arrival order */
    public List<String> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** Waits until at least {@code count} frames arrived; returns them all. */
    public List<String> awaitFrames(int count, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (frames.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("received " + frames.size() + " of " + count + " frames: " + frames);
                }
                TimeUnit.NANOSECONDS.timedWait(frames, left);
            }
            return List.copyOf(frames);
        }
    }

    /** Waits for the first frame that matches; returns it. */
    public String awaitFrame(Predicate<String> match, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                for (String frame : frames) {
                    if (match.test(frame)) {
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no matching frame among " + frames);
                }
                TimeUnit.NANOSECONDS.timedWait(frames, left);
            }
        }
    }

    /** @return whether the connection ended (close frame or abort) within the timeout */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the close code the server sent, {@link #ABORTED} when none came, -1 while open */
    public int closeCode() {
        return closeCode;
    }

    /** @return the reason of the server's close frame, empty when none */
    public String closeReason() {
        return closeReason;
    }

    /** @return whether the connection is still open for sending */
    public boolean isOpen() {
        return !socket.isOutputClosed() && ended.getCount() > 0;
    }

    /** Closes normally and waits for the server's close; aborts when it does not come. */
    @Override
    public void close() {
        WebSocket ws = socket;
        try {
            if (!ws.isOutputClosed()) {
                CompletableFuture<WebSocket> sent = ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").toCompletableFuture();
                try {
                    sent.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    ws.abort();
                }
            }
            if (!ended.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                ws.abort();
            }
        } catch (InterruptedException e) {
            ws.abort();
            Thread.currentThread().interrupt();
        }
    }
}
