package io.wsrouter.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.Admission;
import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.RemovalReason;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.DeliveryStatistics;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test {@link ConnectionRegistry} that owns connections like the real pool and records every frame
 * handed to a connection instead of sending it. Thread-safe.
 */
final class RecordingRegistry implements ConnectionRegistry {

    static final ObjectMapper JSON = new ObjectMapper();

    record Sent(String userId, String connectionId, String frame) {
        JsonNode json() {
            try {
                return JSON.readTree(frame);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final Map<String, List<String>> byUser = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public synchronized Admission admit(String userId, String connectionId) {
        if (closed) {
            return Admission.CLOSED;
        }
        String owner = owners.get(connectionId);
        if (owner != null) {
            return owner.equals(userId) ? Admission.OWNED : Admission.FORBIDDEN;
        }
        owners.put(connectionId, userId);
        byUser.computeIfAbsent(userId, u -> new CopyOnWriteArrayList<>()).add(connectionId);
        return Admission.REGISTERED;
    }

    @Override
    public synchronized boolean unregister(String connectionId) {
        String owner = owners.remove(connectionId);
        if (owner == null) {
            return false;
        }
        byUser.get(owner).remove(connectionId);
        listeners.forEach(l -> l.connectionClosed(owner, connectionId, RemovalReason.UNREGISTERED));
        return true;
    }

    @Override
    public synchronized boolean unregister(String userId, String connectionId) {
        return userId.equals(owners.get(connectionId)) && unregister(connectionId);
    }

    @Override
    public Optional<String> ownerOf(String connectionId) {
        return Optional.ofNullable(owners.get(connectionId));
    }

    @Override
    public boolean sendToConnection(String userId, String connectionId, String frame) {
        if (closed || !userId.equals(owners.get(connectionId))) {
            return false;
        }
        sent.add(new Sent(userId, connectionId, frame));
        return true;
    }

    @Override
    public int sendToUser(String userId, String frame) {
        int n = 0;
        for (String c : connectionsOf(userId)) {
            if (sendToConnection(userId, c, frame)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public List<String> connectionsOf(String userId) {
        List<String> list = byUser.get(userId);
        return list == null ? List.of() : List.copyOf(list);
    }

    @Override
    public int activeConnections() {
        return owners.size();
    }

    @Override
    public int connectedUsers() {
        return (int) byUser.values().stream().filter(l -> !l.isEmpty()).count();
    }

    @Override
    public int expireIdle() {
        return 0;
    }

    @Override
    public DeliveryStatistics deliveryStatistics() {
        return new DeliveryStatistics(sent.size(), 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---------------------------------------------------------------- for assertions

    /** @return the frames handed to one connection, in order, parsed */
    List<JsonNode> framesTo(String connectionId) {
        List<JsonNode> out = new ArrayList<>();
        for (Sent s : sent) {
            if (s.connectionId().equals(connectionId)) {
                out.add(s.json());
            }
        }
        return out;
    }

    /** @return the frames of one type handed to one connection, in order */
    List<JsonNode> framesTo(String connectionId, String type) {
        return framesTo(connectionId).stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    /** @return the last frame handed to one connection */
    JsonNode lastTo(String connectionId) {
        List<JsonNode> frames = framesTo(connectionId);
        if (frames.isEmpty()) {
            throw new AssertionError("no frame was sent to " + connectionId);
        }
        return frames.get(frames.size() - 1);
    }

    /** @return every frame of a type, whatever the connection */
    List<Sent> allOfType(String type) {
        return sent.stream().filter(s -> type.equals(s.json().path("type").asText())).toList();
    }

    void clear() {
        sent.clear();
    }
}
