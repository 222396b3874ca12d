package io.wsrouter.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.events.WebSocketManager;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * An in-memory {@link WebSocketManager}: every send completes at once and is recorded per connection
 * (the one place where frames leave the library, so counting here counts delivery paths). Thread-safe.
 */
final class RecordingTransport implements WebSocketManager {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    private final AtomicLong sends = new AtomicLong();

    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        sends.incrementAndGet();
        List<String> list = frames.computeIfAbsent(connectionId, c -> new ArrayList<>());
        synchronized (list) {
            list.add(frame);
        }
        return CompletableFuture.completedFuture(null);
    }

    long sends() {
        return sends.get();
    }

    List<String> rawFramesOf(String connectionId) {
        List<String> list = frames.getOrDefault(connectionId, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    List<JsonNode> framesOf(String connectionId) {
        return rawFramesOf(connectionId).stream().map(RecordingTransport::json).collect(Collectors.toList());
    }

    List<String> typesOf(String connectionId) {
        return framesOf(connectionId).stream().map(f -> f.path("type").asText()).collect(Collectors.toList());
    }

    /** @return the connections that received at least one frame */
    java.util.Set<String> connections() {
        return java.util.Set.copyOf(frames.keySet());
    }

    void clear() {
        frames.clear();
        sends.set(0);
    }

    static JsonNode json(String frame) {
        try {
            return MAPPER.readTree(frame);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
