package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test {@link ConnectionRegistry} that owns connections like the real pool (one owner per id, an
 * optional per-user limit, listeners told of every removal) and records every frame handed to a
 * connection instead of sending it. Thread-safe. Shared with other modules' tests through
 * router-core's test-jar (the one copy: router-testkit cannot depend on core, whose tests use it).
 */
public final class RecordingRegistry implements ConnectionRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One frame handed to a connection. */
    public record Sent(String userId, String connectionId, String frame) {
        /** @return the frame, parsed */
        public JsonNode json() {
            return parse(frame);
        }
    }

    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final Map<String, List<String>> byUser = new ConcurrentHashMap<>();
    private final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile int limitPerUser = Integer.MAX_VALUE;
    private volatile boolean closed;

    /** @param value the most connections a user may hold (default: no limit) */
    public void limitPerUser(int value) {
        this.limitPerUser = value;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized Admission admit(String userId, String connectionId) {
        if (closed) {
            return Admission.CLOSED;
        }
        String owner = owners.get(connectionId);
        if (owner != null) {
            return owner.equals(userId) ? Admission.OWNED : Admission.FORBIDDEN;
        }
        if (connectionsOf(userId).size() >= limitPerUser) {
            return Admission.LIMIT_REACHED;
        }
        owners.put(connectionId, userId);
        byUser.computeIfAbsent(userId, u -> new CopyOnWriteArrayList<>()).add(connectionId);
        return Admission.REGISTERED;
    }

    @Override
    public boolean unregister(String connectionId) {
        String owner;
        synchronized (this) {
            owner = owners.remove(connectionId);
            if (owner != null) {
                byUser.getOrDefault(owner, List.of()).remove(connectionId);
            }
        }
        if (owner != null) {
            String user = owner;
            listeners.forEach(l -> l.connectionClosed(user, connectionId, RemovalReason.UNREGISTERED));
        }
        return owner != null;
    }

    @Override
    public boolean unregister(String userId, String connectionId) {
        boolean removed;
        synchronized (this) {
            removed = owners.remove(connectionId, userId);
            if (removed) {
                byUser.getOrDefault(userId, List.of()).remove(connectionId);
            }
        }
        if (removed) {
            listeners.forEach(l -> l.connectionClosed(userId, connectionId, RemovalReason.UNREGISTERED));
        }
        return removed;
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
        frames.computeIfAbsent(connectionId, c -> new CopyOnWriteArrayList<>()).add(frame);
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
        return List.copyOf(byUser.getOrDefault(userId, List.of()));
    }

    @Override
    public int activeConnections() {
        return owners.size();
    }

    @Override
    public int connectedUsers() {
        return (int) owners.values().stream().distinct().count();
    }

    @Override
    public int expireIdle() {
        return 0;
    }

    @Override
    public DeliveryStatistics deliveryStatistics() {
        return DeliveryStatistics.EMPTY;
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

    /** @return the frames handed to one connection, in order */
    public List<String> framesOf(String connectionId) {
        return frames.getOrDefault(connectionId, List.of());
    }

    /** @return the frames handed to one connection, in order, parsed */
    public List<JsonNode> jsonOf(String connectionId) {
        List<JsonNode> list = new ArrayList<>();
        for (String f : framesOf(connectionId)) {
            list.add(parse(f));
        }
        return list;
    }

    /** @return the frames of one type handed to one connection, in order, parsed */
    public List<JsonNode> jsonOf(String connectionId, String type) {
        return jsonOf(connectionId).stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    /** @return the last frame handed to one connection, parsed */
    public JsonNode last(String connectionId) {
        List<JsonNode> all = jsonOf(connectionId);
        if (all.isEmpty()) {
            throw new AssertionError("no frame was sent to " + connectionId);
        }
        return all.get(all.size() - 1);
    }

    /** @return every frame of a type, whatever the connection, in the order handed over */
    public List<Sent> allOfType(String type) {
        return sent.stream().filter(s -> type.equals(s.json().path("type").asText())).toList();
    }

    /** Forgets the recorded frames (connections stay). */
    public void clear() {
        frames.clear();
        sent.clear();
    }

    private static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (Exception e) {
            throw new AssertionError("frame is not JSON: " + frame, e);
        }
    }
}
