package io.wsrouter.demo;

import io.wsrouter.core.Admission;
import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.DeliveryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/** TEMPORARY: stands in for router-events' ConnectionPool until it lands on main. */
final class StopgapRegistry implements ConnectionRegistry {

    private final JettySessions sessions;
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final Map<String, List<String>> byUser = new ConcurrentHashMap<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean closed;

    StopgapRegistry(JettySessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public synchronized Admission admit(String userId, String connectionId) {
        if (closed) {
            return Admission.CLOSED;
        }
        String owner = owners.putIfAbsent(connectionId, userId);
        if (owner != null) {
            return owner.equals(userId) ? Admission.OWNED : Admission.FORBIDDEN;
        }
        byUser.computeIfAbsent(userId, u -> new CopyOnWriteArrayList<>()).add(connectionId);
        return Admission.REGISTERED;
    }

    @Override
    public synchronized boolean unregister(String connectionId) {
        String owner = owners.remove(connectionId);
        if (owner == null) {
            return false;
        }
        List<String> list = byUser.get(owner);
        if (list != null) {
            list.remove(connectionId);
            if (list.isEmpty()) {
                byUser.remove(owner);
            }
        }
        listeners.forEach(l -> l.connectionClosed(owner, connectionId));
        return true;
    }

    @Override
    public boolean unregister(String userId, String connectionId) {
        return userId.equals(owners.get(connectionId)) && unregister(connectionId);
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
        sessions.sendToConnection(connectionId, frame).whenComplete((v, e) -> (e == null ? sent : failed).increment());
        return true;
    }

    @Override
    public int sendToUser(String userId, String frame) {
        int n = 0;
        for (String id : connectionsOf(userId)) {
            if (sendToConnection(userId, id, frame)) {
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
        return byUser.size();
    }

    @Override
    public int expireIdle() {
        return 0;
    }

    @Override
    public DeliveryStatistics deliveryStatistics() {
        return new DeliveryStatistics(sent.sum(), 0, failed.sum(), 0, 0, 0, 0);
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        closed = true;
    }
}
