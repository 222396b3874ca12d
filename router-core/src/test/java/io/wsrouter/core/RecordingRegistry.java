package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A thread-safe in-memory {@link ConnectionRegistry} that records every frame per connection. */
final class RecordingRegistry implements ConnectionRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, String> owners = new ConcurrentHashMap<>();
    final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    volatile int limitPerUser = Integer.MAX_VALUE;
    volatile boolean closed;

    @Override
    public Admission admit(String userId, String connectionId) {
        if (closed) {
            return Admission.CLOSED;
        }
        synchronized (this) {
            String owner = owners.get(connectionId);
            if (owner != null) {
                return owner.equals(userId) ? Admission.OWNED : Admission.FORBIDDEN;
            }
            if (connectionsOf(userId).size() >= limitPerUser) {
                return Admission.LIMIT_REACHED;
            }
            owners.put(connectionId, userId);
            return Admission.REGISTERED;
        }
    }

    @Override
    public boolean unregister(String connectionId) {
        String owner = owners.remove(connectionId);
        if (owner != null) {
            listeners.forEach(l -> l.connectionClosed(owner, connectionId, RemovalReason.UNREGISTERED));
        }
        return owner != null;
    }

    @Override
    public boolean unregister(String userId, String connectionId) {
        boolean removed = owners.remove(connectionId, userId);
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
        if (!userId.equals(owners.get(connectionId))) {
            return false;
        }
        frames.computeIfAbsent(connectionId, c -> new CopyOnWriteArrayList<>()).add(frame);
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
        List<String> list = new ArrayList<>();
        owners.forEach((c, u) -> {
            if (u.equals(userId)) {
                list.add(c);
            }
        });
        return list;
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

    List<String> framesOf(String connectionId) {
        return frames.getOrDefault(connectionId, List.of());
    }

    List<JsonNode> jsonOf(String connectionId) {
        List<JsonNode> list = new ArrayList<>();
        for (String f : framesOf(connectionId)) {
            try {
                list.add(JSON.readTree(f));
            } catch (Exception e) {
                throw new AssertionError("frame is not JSON: " + f, e);
            }
        }
        return list;
    }

    JsonNode last(String connectionId) {
        List<JsonNode> all = jsonOf(connectionId);
        if (all.isEmpty()) {
            throw new AssertionError("no frame on " + connectionId);
        }
        return all.get(all.size() - 1);
    }

    void clear() {
        frames.clear();
    }
}
