package io.wsrouter.tests;

import io.wsrouter.events.WebSocketManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WebSocketManager} around the real one that fails every {@code period}-th send (counted over
 * all connections, so deterministic in number) and every send to a connection marked broken, and
 * records, per connection, the frames it really handed to the socket, in order.
 */
final class FaultyTransport implements WebSocketManager {

    private final WebSocketManager delegate;
    private final long period;
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> forwarded = new ConcurrentHashMap<>();

    FaultyTransport(WebSocketManager delegate, long period) {
        this.delegate = delegate;
        this.period = period;
    }

    /** Every later send to this connection fails. */
    void breakConnection(String connectionId) {
        broken.add(connectionId);
    }

    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        long n = sends.incrementAndGet();
        if (n % period == 0 || broken.contains(connectionId)) {
            failures.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("injected failure of send #" + n));
        }
        // One send in flight per connection (the pool's contract), so this list is written by one thread at a time.
        List<String> frames = forwarded.computeIfAbsent(connectionId, c -> new ArrayList<>());
        synchronized (frames) {
            frames.add(frame);
        }
        return delegate.sendToConnection(connectionId, frame);
    }

    long sends() {
        return sends.get();
    }

    long failures() {
        return failures.get();
    }

    /** @return a copy of the frames handed to the socket of one connection, in order */
    List<String> forwardedTo(String connectionId) {
        List<String> frames = forwarded.getOrDefault(connectionId, List.of());
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }
}
