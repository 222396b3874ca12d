package io.wsrouter.core;

/**
 * The stable error codes of wsrouter. The name of each constant is what goes on the wire as
 * {@code data.error_code} of an {@code error_message} frame, so names never change once released;
 * new codes may be added.
 *
 * <pre>{@code
 * {"type":"error_message","data":{"error_code":"INVALID_JSON","error_message":"...","details":{}},...}
 * }</pre>
 *
 * <p>Every rejection the router makes carries one of these codes and is counted in
 * {@link RoutingStatistics#rejectionsByCode()}.
 */
public enum ErrorCode {
    /** The frame is not parseable JSON, is empty, has trailing content or duplicate keys, or is not a JSON object or array. */
    INVALID_JSON,
    /** The frame, a string or a number in it is longer than the configured limit. */
    MESSAGE_TOO_LARGE,
    /** The JSON nests deeper than the configured limit. */
    NESTING_TOO_DEEP,
    /**
     * The frame holds more object keys than {@link MessageLimits#maxKeys()} (4096 by default, counted at
     * every depth), or keys whose names collide in the parser's name table (a hash-flooding attempt
     * rather than a large frame).
     */
    TOO_MANY_KEYS,
    /** The object has no {@code type} and is not JSON-RPC 2.0. */
    MISSING_TYPE,
    /** {@code type} is not a string, or not 1-64 characters of {@code [A-Za-z0-9_.:-]}. */
    INVALID_TYPE,
    /** {@code payload} is not an object, or a top-level field ({@code thread_id}, ...) has the wrong JSON type. */
    INVALID_PAYLOAD,
    /** A batch (or JSON-RPC batch) holds more entries than the configured limit, or a batch is nested. */
    BATCH_TOO_LARGE,
    /** The connection belongs to another user. */
    FORBIDDEN,
    /** The user already has the maximum number of connections. */
    CONNECTION_LIMIT,
    /** An agent was asked for but no {@link AgentService} is configured, or it refused the request. */
    AGENT_UNAVAILABLE,
    /** The handler that claimed the message failed. */
    HANDLER_ERROR,
    /** The connection sent more messages than its rate limit allows. */
    RATE_LIMITED,
    /** The router was closed. */
    ROUTER_CLOSED,
    /** A request named an action the handler does not know (for example {@code subscribe_quality_alerts}). */
    INVALID_ACTION,
    /** A request lacks the content it must carry (for example {@code validate_content} without {@code content}). */
    CONTENT_MISSING,
    /** The content of a request exceeds the handler's limit. */
    CONTENT_TOO_LARGE,
    /** {@code generate_quality_report} named an unknown {@code report_type}. */
    UNKNOWN_REPORT_TYPE,
    /** A quality service (gate or monitor) failed while handling the request. */
    QUALITY_ERROR,
    /** The transport received a frame the router does not route (a binary WebSocket frame). */
    UNSUPPORTED_FRAME,
    /** {@code resume} is malformed: its {@code payload} lacks a string {@code epoch} or a non-negative integer {@code offset}. */
    INVALID_RESUME
}
