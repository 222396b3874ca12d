package io.wsrouter.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * W2/W3 peer: the legacy {@code WebSocketEventRouter} pool ported naively: a map from user to the set of
 * its connection ids, and an envelope serialized once per connection, as the Python did (it built and
 * sent one dict per connection). The map is a {@link ConcurrentHashMap} of
 * {@link ConcurrentHashMap#newKeySet() concurrent sets} (no lock on emit: the strongest simple
 * choice, chosen so that the peer is not slowed by a lock we picked). No reverse index from connection to
 * user, so this peer cannot check ownership: its memory figure is a lower bound of the legacy design.
 */
public final class NaiveConnectionPool {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Set<String>> connections = new ConcurrentHashMap<>();
    private final CountingTransport transport;

    /** @param transport where frames go */
    public NaiveConnectionPool(CountingTransport transport) {
        this.transport = transport;
    }

    /** Registers a connection of a user. */
    public void registerConnection(String userId, String connectionId) {
        connections.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet()).add(connectionId);
    }

    /** @return how many connections the event was sent to */
    public int emitToUser(String userId, String type, Object data) {
        Set<String> targets = connections.get(userId);
        if (targets == null) {
            return 0;
        }
        int sent = 0;
        for (String connectionId : targets) {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("type", type);
            envelope.put("data", data);
            envelope.put("timestamp", System.currentTimeMillis() / 1000.0);
            envelope.put("server_id", null);
            envelope.put("correlation_id", null);
            try {
                transport.sendToConnection(connectionId, MAPPER.writeValueAsString(envelope));
                sent++;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot serialize the data of event '" + type + "'", e);
            }
        }
        return sent;
    }

    /** @return the number of users with a connection */
    public int users() {
        return connections.size();
    }
}
