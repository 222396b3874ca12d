package io.wsrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A {@link WebSocketManager} for tests: records every frame handed to it per connection, and
 * answers with a per-connection behaviour (default: completes at once). Also checks the pool's
 * promise of at most one send in flight per connection. Shared with other modules' tests through
 * router-events' test-jar.
 */
public final class RecordingManager implements WebSocketManager {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    private final Map<String, BiFunction<String, String, CompletionStage<Void>>> behaviours = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    /** Sets how sends to one connection answer. */
    public RecordingManager on(String connectionId, BiFunction<String, String, CompletionStage<Void>> behaviour) {
        behaviours.put(connectionId, behaviour);
        return this;
    }

    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        calls.incrementAndGet();
        frames.computeIfAbsent(connectionId, k -> Collections.synchronizedList(new ArrayList<>())).add(frame);
        AtomicInteger flight = inFlight.computeIfAbsent(connectionId, k -> new AtomicInteger());
        if (flight.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        BiFunction<String, String, CompletionStage<Void>> behaviour = behaviours.get(connectionId);
        CompletionStage<Void> stage;
        try {
            stage = behaviour == null ? CompletableFuture.completedFuture(null) : behaviour.apply(connectionId, frame);
        } catch (RuntimeException | Error e) {
            flight.decrementAndGet();
            throw e;
        }
        if (stage == null) {
            flight.decrementAndGet();
            return null;
        }
        // Leave the in-flight count before the pool's callback (registered after us) runs.
        CompletableFuture<Void> tracked = new CompletableFuture<>();
        stage.whenComplete((v, e) -> {
            flight.decrementAndGet();
            if (e == null) {
                tracked.complete(null);
            } else {
                tracked.completeExceptionally(e);
            }
        });
        return tracked;
    }

    /** @return the frames handed over for the connection, in order (a copy) */
    public List<String> framesOf(String connectionId) {
        List<String> list = frames.getOrDefault(connectionId, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** @return the ids of the connections that were sent something */
    public Set<String> connectionIds() {
        return Set.copyOf(frames.keySet());
    }

    /** @return how many times a send started while another was in flight for the same connection */
    public int overlaps() {
        return overlaps.get();
    }

    /** @return how many sends were started */
    public int calls() {
        return calls.get();
    }

    /** @return the frames of the connection, parsed */
    public List<JsonNode> jsonOf(String connectionId) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String frame : framesOf(connectionId)) {
            try {
                parsed.add(JSON.readTree(frame));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + frame, e);
            }
        }
        return parsed;
    }

    /** @return the last frame of the connection, parsed */
    public JsonNode last(String connectionId) {
        List<JsonNode> all = jsonOf(connectionId);
        if (all.isEmpty()) {
            throw new AssertionError("nothing was sent to " + connectionId);
        }
        return all.get(all.size() - 1);
    }

    /** @return how many frames all connections were sent */
    public int total() {
        return frames.values().stream().mapToInt(List::size).sum();
    }
}
