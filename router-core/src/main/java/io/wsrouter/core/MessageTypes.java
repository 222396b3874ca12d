package io.wsrouter.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The legacy type vocabulary: canonical wire values and the alias map (reference appendices A and B). */
final class MessageTypes {

    static final String JSONRPC_REQUEST = "jsonrpc_request";
    static final String JSONRPC_RESPONSE = "jsonrpc_response";
    static final String JSONRPC_NOTIFICATION = "jsonrpc_notification";
    /** A top-level JSON array: always a JSON-RPC 2.0 batch. */
    static final String JSONRPC_BATCH = "jsonrpc_batch";
    static final String BATCH = "batch";
    static final String UNKNOWN_BUCKET = "unknown";

    /** The legacy {@code MessageType} values, plus the types this library adds. */
    static final Set<String> CANONICAL = Set.of(
            "connect", "disconnect", "connection_established", "heartbeat", "heartbeat_ack", "ping", "pong",
            "user_message", "chat", "system_message", "error_message", "user_typing", "agent_typing",
            "typing_started", "typing_stopped", "start_agent", "agent_started", "agent_start", "agent_complete",
            "agent_completed", "tool_execute", "tool_executing", "tool_complete", "tool_completed", "agent_request",
            "agent_task", "agent_task_ack", "agent_response", "agent_response_chunk", "agent_response_complete",
            "agent_status_request", "agent_status_update", "agent_progress", "agent_thinking", "agent_error",
            "thread_update", "thread_message", "broadcast", "broadcast_test", "direct_message", "room_message",
            JSONRPC_REQUEST, JSONRPC_RESPONSE, JSONRPC_NOTIFICATION, "resilience_test", "recovery_test",
            JSONRPC_BATCH, BATCH, "resume", "resume_result",
            "get_quality_metrics", "subscribe_quality_alerts", "validate_content", "generate_quality_report");

    private static final Map<String, String> ALIASES = aliases();

    private MessageTypes() {
    }

    /** @return the canonical type for a raw type: its alias target, or the raw type itself */
    static String normalize(String raw) {
        String canonical = ALIASES.get(raw);
        return canonical != null ? canonical : raw;
    }

    /** @return whether a type string has the allowed form: 1-64 chars of {@code [A-Za-z0-9_.:-]} */
    static boolean hasValidForm(String type) {
        int n = type.length();
        if (n == 0 || n > MessageLimits.MAX_TYPE_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = type.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> aliases() {
        String[][] pairs = {
            {"connected", "connect"},
            {"user", "user_message"}, {"user_input", "user_message"}, {"chat_message", "user_message"},
            {"message", "user_message"},
            {"agent", "agent_request"},
            {"agent_status", "agent_status_update"}, {"agent_update", "agent_status_update"},
            {"agent_failed", "agent_error"}, {"agent_fallback", "agent_error"},
            {"execute_agent", "start_agent"}, {"EXECUTE_AGENT", "start_agent"},
            {"typing", "user_typing"},
            {"thread", "thread_update"},
            {"error", "error_message"},
            {"system", "system_message"},
            {"factory_connection_established", "connection_established"},
            {"isolated_connection_established", "connection_established"},
            {"legacy_connection_established", "connection_established"},
            {"legacy_response", "agent_response"},
            {"legacy_heartbeat", "heartbeat"},
        };
        Map<String, String> map = new HashMap<>();
        for (String[] pair : pairs) {
            map.put(pair[0], pair[1]);
        }
        return Map.copyOf(map);
    }
}
