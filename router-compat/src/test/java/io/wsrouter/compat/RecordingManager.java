package io.wsrouter.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.events.WebSocketManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A transport for tests: every send completes at once and the frame is recorded per connection. */
final class RecordingManager implements WebSocketManager {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, List<String>> frames = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
        frames.computeIfAbsent(connectionId, k -> Collections.synchronizedList(new ArrayList<>())).add(frame);
        return CompletableFuture.completedFuture(null);
    }

    /** @return the frames handed over for the connection, in order (a copy) */
    List<String> framesOf(String connectionId) {
        List<String> list = frames.getOrDefault(connectionId, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** @return the frames of the connection, parsed */
    List<JsonNode> jsonOf(String connectionId) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String frame : framesOf(connectionId)) {
            try {
                parsed.add(MAPPER.readTree(frame));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + frame, e);
            }
        }
        return parsed;
    }

    /** @return the last frame of the connection, parsed */
    JsonNode last(String connectionId) {
        List<JsonNode> all = jsonOf(connectionId);
        if (all.isEmpty()) {
            throw new AssertionError("nothing was sent to " + connectionId);
        }
        return all.get(all.size() - 1);
    }

    /** @return how many frames all connections were sent */
    int total() {
        return frames.values().stream().mapToInt(List::size).sum();
    }
}
