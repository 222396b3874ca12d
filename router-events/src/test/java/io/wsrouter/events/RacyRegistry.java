package io.wsrouter.events;

import io.wsrouter.core.Admission;
import io.wsrouter.core.ConnectionListener;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.core.DeliveryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deliberately broken {@link ConnectionRegistry} for {@link PoolLinearizabilityTest}: every
 * single step uses a concurrent collection, so it looks thread-safe and is correct when used from
 * one thread, but registration is check-then-act: two users presenting the same free id can both
 * be told {@link Admission#REGISTERED}, and both lists then hold the id. Exists only to prove that
 * the linearizability check catches such races.
 */
final class RacyRegistry implements ConnectionRegistry {

    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final Map<String, List<String>> byUser = new ConcurrentHashMap<>();
    private final int limit;

    RacyRegistry(int limit) {
        this.limit = limit;
    }

    @Override
    public Admission admit(String userId, String connectionId) {
        String owner = owners.get(connectionId);                 // check ...
        if (owner != null) {
            return owner.equals(userId) ? Admission.OWNED : Admission.FORBIDDEN;
        }
        List<String> mine = byUser.computeIfAbsent(userId, k -> new CopyOnWriteArrayList<>());
        if (mine.size() >= limit) {
            return Admission.LIMIT_REACHED;
        }
        Thread.yield();                                          // widens the window for stress mode
        owners.put(connectionId, userId);                        // ... then act: the race
        mine.add(connectionId);
        return Admission.REGISTERED;
    }

    @Override
    public boolean unregister(String connectionId) {
        String owner = owners.remove(connectionId);
        if (owner == null) {
            return false;
        }
        byUser.getOrDefault(owner, List.of()).remove(connectionId);
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
        return userId.equals(owners.get(connectionId));
    }

    @Override
    public int sendToUser(String userId, String frame) {
        return byUser.getOrDefault(userId, List.of()).size();
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
        return (int) byUser.values().stream().filter(l -> !l.isEmpty()).count();
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
        // nothing is ever removed by the registry itself
    }

    @Override
    public void close() {
        // nothing to stop
    }
}
