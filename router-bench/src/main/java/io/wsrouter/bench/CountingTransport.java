package io.wsrouter.bench;

import io.wsrouter.events.WebSocketManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport of W1 and W2: completes every send at once and counts frames and characters, so that
 * what is measured is the router, not a socket.
 */
public class CountingTransport implements WebSocketManager {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final LongAdder frames = new LongAdder();
    private final LongAdder chars = new LongAdder();

    /** Accepts one frame for a connection; completes at once. */
    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        frames.increment();
        chars.add(frame.length());
        return DONE;
    }

    /** @return frames sent so far */
    public long frames() {
        return frames.sum();
    }

    /** @return characters sent so far */
    public long chars() {
        return chars.sum();
    }

    /** Forgets the counts (after a setup phase). */
    public void reset() {
        frames.reset();
        chars.reset();
    }
}
