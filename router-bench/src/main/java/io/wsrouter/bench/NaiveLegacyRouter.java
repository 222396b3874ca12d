package io.wsrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W1 peer: a straightforward Java port of the legacy Python {@code MessageRouter}, as a team would write
 * it without a design: {@link ObjectMapper#readTree(String)}, the legacy alias map, counters in atomics
 * and a concurrent map, and a linear {@code canHandle} scan over {@code custom + builtin} handlers
 * (first match wins), each handler holding its supported types in a {@code List} as the Python did.
 * Thread-safe: handler lists are copy-on-write.
 */
public final class NaiveLegacyRouter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Map<String, String> ALIASES = Map.of(
            "user", "user_message", "user_input", "user_message", "chat_message", "user_message",
            "message", "user_message", "typing", "user_typing", "agent", "agent_request",
            "execute_agent", "start_agent", "error", "error_message", "system", "system_message",
            "thread", "thread_update");

    /** The legacy handler protocol: {@code can_handle(type)} and {@code handle_message(...)}. */
    public interface LegacyHandler {
        /** @return whether this handler takes messages of the type */
        boolean canHandle(String type);

        /** @return whether the message was handled */
        boolean handleMessage(String userId, String connectionId, LegacyMessage message) throws Exception;
    }

    /** The legacy {@code WebSocketMessage}: type, payload (the whole frame when it has none), ids, time. */
    public record LegacyMessage(String type, JsonNode payload, String threadId, String messageId, double timestamp) {
    }

    /** The legacy {@code BaseMessageHandler}: a list of supported types. */
    public static class BaseHandler implements LegacyHandler {
        private final List<String> supportedTypes;

        /** @param supportedTypes the types this handler claims */
        public BaseHandler(List<String> supportedTypes) {
            this.supportedTypes = List.copyOf(supportedTypes);
        }

        @Override
        public boolean canHandle(String type) {
            return supportedTypes.contains(type);
        }

        @Override
        public boolean handleMessage(String userId, String connectionId, LegacyMessage message) {
            return true;
        }
    }

    private final List<LegacyHandler> customHandlers = new CopyOnWriteArrayList<>();
    private final List<LegacyHandler> builtinHandlers = new CopyOnWriteArrayList<>();
    private final AtomicLong messagesRouted = new AtomicLong();
    private final AtomicLong unhandledMessages = new AtomicLong();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> messageTypes = new ConcurrentHashMap<>();

    /** A router with the ten legacy built-in handlers (the types of the legacy table, section 1.3). */
    public NaiveLegacyRouter() {
        builtinHandlers.add(new BaseHandler(List.of("connect", "disconnect")));
        builtinHandlers.add(new BaseHandler(List.of("user_typing", "agent_typing", "typing_started", "typing_stopped")));
        builtinHandlers.add(new BaseHandler(List.of("ping", "pong", "heartbeat", "heartbeat_ack")));
        builtinHandlers.add(new BaseHandler(List.of("agent_task_ack", "agent_response_chunk",
                "agent_response_complete", "agent_status_update", "agent_error")));
        builtinHandlers.add(new BaseHandler(List.of("agent_request", "start_agent")));
        builtinHandlers.add(new BaseHandler(List.of("system_message", "agent_response", "agent_progress",
                "thread_update", "thread_message")));
        builtinHandlers.add(new BaseHandler(List.of("jsonrpc_request", "jsonrpc_response", "jsonrpc_notification")));
        builtinHandlers.add(new BaseHandler(List.of("error_message")));
        builtinHandlers.add(new BaseHandler(List.of("broadcast", "room_message")));
        builtinHandlers.add(new BaseHandler(List.of("user_message", "chat")));
    }

    /** Appends a custom handler: custom handlers run before built-ins, first added first. */
    public void addHandler(LegacyHandler handler) {
        customHandlers.add(handler);
    }

    /** Routes one raw frame; never throws. */
    public boolean routeMessage(String userId, String connectionId, String frame) {
        try {
            JsonNode raw = MAPPER.readTree(frame);
            JsonNode typeNode = raw.get("type");
            if (typeNode == null || !typeNode.isTextual()) {
                return false;
            }
            String type = ALIASES.getOrDefault(typeNode.textValue(), typeNode.textValue());
            JsonNode payload = raw.has("payload") ? raw.get("payload") : raw;
            LegacyMessage message = new LegacyMessage(type, payload, text(raw, "thread_id"), text(raw, "message_id"),
                    System.currentTimeMillis() / 1000.0);
            messagesRouted.incrementAndGet();
            messageTypes.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
            LegacyHandler handler = findHandler(type);
            if (handler == null) {
                unhandledMessages.incrementAndGet();
                return true;
            }
            return handler.handleMessage(userId, connectionId, message);
        } catch (Exception e) {
            handlerErrors.incrementAndGet();
            return false;
        }
    }

    private LegacyHandler findHandler(String type) {
        for (LegacyHandler h : customHandlers) {
            if (h.canHandle(type)) {
                return h;
            }
        }
        for (LegacyHandler h : builtinHandlers) {
            if (h.canHandle(type)) {
                return h;
            }
        }
        return null;
    }

    private static String text(JsonNode raw, String field) {
        JsonNode node = raw.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** @return messages routed so far */
    public long messagesRouted() {
        return messagesRouted.get();
    }
}
