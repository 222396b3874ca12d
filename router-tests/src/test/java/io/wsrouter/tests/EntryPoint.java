package io.wsrouter.tests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.compat.MessageRouter;
import io.wsrouter.compat.QualityMessageRouter;
import io.wsrouter.core.CanonicalMessageRouter;
import java.util.List;
import java.util.Map;

/**
 * A way into the routing pipeline: the canonical router's transport entry, or one of the legacy
 * facades' message entries, built over a given canonical router. (The third facade,
 * {@code WebSocketEventRouter}, has no inbound message entry: it registers connections and sends
 * events.)
 */
@SuppressWarnings("removal")
enum EntryPoint {

    CANONICAL("CanonicalMessageRouter.routeMessage(user, connection, frame)") {
        @Override
        Boolean send(CanonicalMessageRouter router, String user, String connection, Map<String, Object> message) {
            return router.routeMessage(user, connection, json(message));
        }
    },
    MESSAGE_ROUTER("MessageRouter.routeMessage(user, connection, map)") {
        @Override
        Boolean send(CanonicalMessageRouter router, String user, String connection, Map<String, Object> message) {
            return new MessageRouter(router).routeMessage(user, connection, message);
        }
    },
    MESSAGE_ROUTER_HANDLE("MessageRouter.handleMessage(user, map)") {
        @Override
        Boolean send(CanonicalMessageRouter router, String user, String connection, Map<String, Object> message) {
            new MessageRouter(router).handleMessage(user, withConnection(message, connection));
            return null;
        }
    },
    QUALITY_ROUTER("QualityMessageRouter.handleMessage(user, map)") {
        @Override
        Boolean send(CanonicalMessageRouter router, String user, String connection, Map<String, Object> message) {
            new QualityMessageRouter(router).handleMessage(user, withConnection(message, connection));
            return null;
        }
    };

    static final List<EntryPoint> FACADES = List.of(MESSAGE_ROUTER, MESSAGE_ROUTER_HANDLE, QUALITY_ROUTER);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String description;

    EntryPoint(String description) {
        this.description = description;
    }

    /**
     * Routes one message from a user (and, for the entries that take one, their connection).
     *
     * @return the entry's result, or null for the entries that return nothing
     */
    abstract Boolean send(CanonicalMessageRouter router, String user, String connection, Map<String, Object> message);

    /**
     * The entries without a transport connection take it from the message, as the legacy callers put
     * their websocket there; JSON-RPC objects stay as the specification writes them.
     */
    private static Map<String, Object> withConnection(Map<String, Object> message, String connection) {
        if (message.containsKey("jsonrpc")) {
            return message;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>(message);
        copy.put("connection_id", connection);
        return copy;
    }

    static String json(Map<String, ?> message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
