package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Appendix B of the legacy reference: inbound type -> canonical type. */
class LegacyAliasMapTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ping, ping", "pong, pong", "heartbeat, heartbeat", "connect, connect", "disconnect, disconnect",
        "connected, connect", "user, user_message", "user_input, user_message", "user_message, user_message",
        "chat_message, user_message", "chat, chat", "message, user_message", "agent, agent_request",
        "agent_request, agent_request", "agent_response, agent_response", "agent_task, agent_task",
        "agent_task_ack, agent_task_ack", "agent_response_chunk, agent_response_chunk",
        "agent_response_complete, agent_response_complete", "agent_status_request, agent_status_request",
        "agent_status_update, agent_status_update", "agent_status, agent_status_update",
        "agent_update, agent_status_update", "agent_progress, agent_progress", "agent_error, agent_error",
        "start_agent, start_agent", "agent_started, agent_started", "agent_thinking, agent_thinking",
        "agent_completed, agent_completed", "agent_failed, agent_error", "agent_fallback, agent_error",
        "tool_executing, tool_executing", "tool_completed, tool_completed", "execute_agent, start_agent",
        "EXECUTE_AGENT, start_agent", "typing, user_typing", "typing_started, typing_started",
        "typing_stopped, typing_stopped", "thread, thread_update", "thread_update, thread_update",
        "thread_message, thread_message", "error, error_message", "error_message, error_message",
        "system, system_message", "system_message, system_message",
        "connection_established, connection_established",
        "factory_connection_established, connection_established",
        "isolated_connection_established, connection_established",
        "legacy_connection_established, connection_established", "broadcast, broadcast",
        "broadcast_test, broadcast_test", "direct_message, direct_message", "room_message, room_message",
        "resilience_test, resilience_test", "recovery_test, recovery_test", "legacy_response, agent_response",
        "legacy_heartbeat, heartbeat"
    })
    void aliasMapsToItsCanonicalType(String inbound, String canonical) throws Exception {
        Message m = Message.parse("{\"type\":\"" + inbound + "\"}");
        assertThat(m.type()).isEqualTo(canonical);
        assertThat(m.rawType()).isEqualTo(inbound);
        assertThat(MessageTypes.CANONICAL).contains(m.type());
    }

    @ParameterizedTest
    @CsvSource({"Ping", "PING", "made_up"})
    void typesOutsideTheMapAreKeptAsSentAndUnknown(String inbound) throws Exception {
        assertThat(Message.parse("{\"type\":\"" + inbound + "\"}").type()).isEqualTo(inbound);
        assertThat(MessageTypes.CANONICAL).doesNotContain(inbound);
    }
}
