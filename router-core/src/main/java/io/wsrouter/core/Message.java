package io.wsrouter.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One inbound message: its type (after the legacy alias map), its payload and its optional
 * identifiers. Immutable and thread-safe: the payload is held privately and every accessor that
 * returns a JSON container returns a fresh copy, so a handler that changes what it was given can
 * never change what the next handler sees.
 *
 * <p>Wire form, one JSON object per text frame:
 * <pre>{@code
 * {"type":"user_message","payload":{"content":"hello"},"thread_id":"t-1","run_id":"r-1","message_id":"m-9"}
 * }</pre>
 * A JSON object with {@code "jsonrpc":"2.0"} and no {@code type} is JSON-RPC 2.0 (type
 * {@code jsonrpc_request}, {@code jsonrpc_notification} or {@code jsonrpc_response}); a top-level JSON
 * array is a JSON-RPC batch (type {@code jsonrpc_batch}).
 *
 * <p>Parsing applies {@link MessageLimits} and rejects, with a {@link MessageFormatException} whose
 * {@link MessageFormatException#errorCode() errorCode()} says why: empty text, trailing content after
 * the value, duplicate keys (they would let two parties read two different types from one frame),
 * anything that is not an object or array, and limits exceeded. Floating point numbers are kept as
 * exact decimals, so a JSON-RPC {@code id} such as {@code 1e400} is never read back as
 * {@code Infinity}.
 *
 * <pre>{@code
 * Message m = Message.parse("{\"type\":\"typing\",\"thread_id\":\"t-1\"}");
 * m.type();      // "user_typing" (alias applied)
 * m.rawType();   // "typing"
 * Message n = Message.of("ping", Map.of());
 * }</pre>
 */
public final class Message {

    private final String type;
    private final String rawType;
    /** The payload tree, built on first use when the message was parsed from text. Never exposed. */
    private volatile ObjectNode payload;
    /** The payload's JSON text (already validated), until it is parsed; null when the tree is given. */
    private final String payloadJson;
    private final MessageParser parser;
    /** The payload's top-level string fields (name, value, ...), when all were captured while parsing. */
    private final String[] payloadStrings;
    private final JsonNode jsonRpc;

    static final int MAX_CAPTURED_STRINGS = 8;
    static final String[] NO_STRINGS = new String[0];
    private final String threadId;
    private final String runId;
    private final String messageId;
    private final String connectionId;

    Message(String type, String rawType, ObjectNode payload, JsonNode jsonRpc,
            String threadId, String runId, String messageId, String connectionId) {
        this(type, rawType, payload, null, null, null, jsonRpc, threadId, runId, messageId, connectionId);
    }

    /** A parsed message whose payload tree is built from {@code payloadJson} on first use. */
    Message(String type, String rawType, String payloadJson, String[] payloadStrings, MessageParser parser,
            String threadId, String runId, String messageId, String connectionId) {
        this(type, rawType, payloadJson == null ? MessageParser.EMPTY_PAYLOAD : null, payloadJson,
                payloadJson == null ? NO_STRINGS : payloadStrings, parser, null,
                threadId, runId, messageId, connectionId);
    }

    private Message(String type, String rawType, ObjectNode payload, String payloadJson, String[] payloadStrings,
                    MessageParser parser, JsonNode jsonRpc, String threadId, String runId, String messageId,
                    String connectionId) {
        this.type = type;
        this.rawType = rawType;
        this.payload = payload;
        this.payloadJson = payloadJson;
        this.payloadStrings = payloadStrings;
        this.parser = parser;
        this.jsonRpc = jsonRpc;
        this.threadId = threadId;
        this.runId = runId;
        this.messageId = messageId;
        this.connectionId = connectionId;
    }

    /**
     * Parses one text frame under the {@linkplain MessageLimits#DEFAULT default limits}.
     *
     * @param json the frame, never null
     * @return the message
     * @throws MessageFormatException with the error code of the first rule the text breaks
     */
    public static Message parse(String json) throws MessageFormatException {
        return MessageParser.DEFAULT.parse(json);
    }

    /**
     * Parses one text frame under the given limits. Non-default limits build a parser on each call;
     * a router built with {@link CanonicalMessageRouter.Builder#limits(MessageLimits)} keeps its own.
     *
     * @param json   the frame, never null
     * @param limits the limits to parse under
     * @return the message
     * @throws NullPointerException   when limits is null
     * @throws MessageFormatException with the error code of the first rule the text breaks
     */
    public static Message parse(String json, MessageLimits limits) throws MessageFormatException {
        Objects.requireNonNull(limits, "limits");
        return limits.equals(MessageLimits.DEFAULT) ? MessageParser.DEFAULT.parse(json) : new MessageParser(limits).parse(json);
    }

    /**
     * Converts a legacy message dict ({@code {"type":..., "payload":{...}, "thread_id":...}}) under the
     * default limits, with the same rules as {@link #parse(String)}.
     *
     * @param raw the dict: a {@code type} string, and optionally a {@code payload} map and identifiers
     * @return the message
     * @throws NullPointerException   when raw is null
     * @throws MessageFormatException when the map is not a valid message
     */
    public static Message fromMap(Map<String, ?> raw) throws MessageFormatException {
        Objects.requireNonNull(raw, "raw");
        return MessageParser.DEFAULT.fromTree(MessageParser.DEFAULT.toTree(raw));
    }

    /**
     * Creates a message from code.
     *
     * @param type    the type; legacy aliases are applied
     * @param payload the payload, converted with Jackson; null means empty
     * @return the message
     * @throws IllegalArgumentException if the type is not 1-64 characters of {@code [A-Za-z0-9_.:-]}
     *                                  or the payload cannot be converted to JSON
     */
    public static Message of(String type, Map<String, ?> payload) {
        return builder(type).payload(payload).build();
    }

    /**
     * Starts a message of the given type.
     *
     * @param type the type; legacy aliases are applied
     * @return a builder for a message with identifiers
     */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** {@return the canonical type, after the legacy alias map; never null} */
    public String type() {
        return type;
    }

    /** {@return the type exactly as it was sent (before aliasing); never null} */
    public String rawType() {
        return rawType;
    }

    /** {@return a fresh, private copy of the payload object (empty when none was sent)} */
    public ObjectNode payload() {
        return payloadView().deepCopy();
    }

    /**
     * Reads one field of the payload.
     *
     * @param name the field's name in the payload object
     * @return a fresh copy of one payload field, or empty when absent or JSON null
     */
    public Optional<JsonNode> payloadField(String name) {
        JsonNode node = payloadView().get(name);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.deepCopy());
    }

    /**
     * Reads one text field of the payload.
     *
     * @param name the field's name in the payload object
     * @return a payload field when it is a JSON string, else empty
     */
    public Optional<String> payloadText(String name) {
        String[] strings = payloadStrings;
        if (strings != null) {
            // Captured while parsing: no tree needed.
            for (int i = 0; i < strings.length && strings[i] != null; i += 2) {
                if (strings[i].equals(name)) {
                    return Optional.of(strings[i + 1]);
                }
            }
            return Optional.empty();
        }
        ObjectNode tree = payload;
        if (tree == null) {
            // Not parsed yet: read the one field from the text instead of building the whole tree.
            return Optional.ofNullable(parser.payloadText(payloadJson, name));
        }
        JsonNode node = tree.get(name);
        return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    /** {@return the payload as a new mutable map (a copy)} */
    public Map<String, Object> payloadMap() {
        return MessageParser.DEFAULT.toMap(payloadView());
    }

    /** {@return {@code thread_id}, when sent} */
    public Optional<String> threadId() {
        return Optional.ofNullable(threadId);
    }

    /** {@return {@code run_id}, when sent} */
    public Optional<String> runId() {
        return Optional.ofNullable(runId);
    }

    /** {@return {@code message_id}, when sent; replies carry it back as {@code correlation_id}} */
    public Optional<String> messageId() {
        return Optional.ofNullable(messageId);
    }

    /**
     * {@return the {@code connection_id} the client claimed. The router never trusts it when the
     *          transport supplied a connection id, and uses it otherwise only for a connection the
     *          user owns}
     */
    public Optional<String> connectionId() {
        return Optional.ofNullable(connectionId);
    }

    /** {@return whether this message arrived as JSON-RPC 2.0 (an object without {@code type}, or an array)} */
    public boolean isJsonRpc() {
        return jsonRpc != null;
    }

    /** {@return a copy of the JSON-RPC object or batch array, when {@link #isJsonRpc()}} */
    public Optional<JsonNode> jsonRpcBody() {
        return jsonRpc == null ? Optional.empty() : Optional.of(jsonRpc.deepCopy());
    }

    // Internal, zero-copy views for the built-in handlers, which never mutate them.
    ObjectNode payloadView() {
        ObjectNode tree = payload;
        if (tree == null) {
            // Benign race: two threads may both build the same tree; either result is correct.
            tree = parser.parsePayload(payloadJson);
            payload = tree;
        }
        return tree;
    }

    JsonNode jsonRpcView() {
        return jsonRpc;
    }

    String messageIdOrNull() {
        return messageId;
    }

    String threadIdOrNull() {
        return threadId;
    }

    String runIdOrNull() {
        return runId;
    }

    /** {@return this message's JSON wire form} */
    public String toJson() {
        return MessageParser.DEFAULT.toJson(this);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Message other)) {
            return false;
        }
        return type.equals(other.type) && rawType.equals(other.rawType) && payloadView().equals(other.payloadView())
                && Objects.equals(jsonRpc, other.jsonRpc) && Objects.equals(threadId, other.threadId)
                && Objects.equals(runId, other.runId) && Objects.equals(messageId, other.messageId)
                && Objects.equals(connectionId, other.connectionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, rawType, payloadView(), jsonRpc, threadId, runId, messageId, connectionId);
    }

    /** Names the type and identifiers, never the payload, so that logs carry no message bodies. */
    @Override
    public String toString() {
        return "Message[type=" + type + (rawType.equals(type) ? "" : ", rawType=" + rawType)
                + (threadId == null ? "" : ", threadId=" + printable(threadId))
                + (runId == null ? "" : ", runId=" + printable(runId))
                + (messageId == null ? "" : ", messageId=" + printable(messageId)) + "]";
    }

    /** Ids come from clients: cut them short and escape control characters, so a log line stays one line. */
    private static String printable(String id) {
        int max = 64;
        StringBuilder b = new StringBuilder(Math.min(id.length(), max) + 8);
        for (int i = 0; i < id.length() && i < max; i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return id.length() > max ? b.append("...").toString() : b.toString();
    }

    /**
     * Builds a {@link Message} from code. Not thread-safe; the message it builds is.
     *
     * <pre>{@code
     * Message m = Message.builder("user_message").payload(Map.of("content", "hi")).threadId("t-1").build();
     * }</pre>
     */
    public static final class Builder {
        private final String rawType;
        private Map<String, ?> payload;
        private String threadId;
        private String runId;
        private String messageId;

        private Builder(String type) {
            Objects.requireNonNull(type, "type");
            if (!MessageTypes.hasValidForm(type)) {
                throw new IllegalArgumentException(
                        "type must be 1-64 characters of [A-Za-z0-9_.:-] but was '" + type + "'");
            }
            this.rawType = type;
        }

        /**
         * Sets the payload object.
         *
         * @param value the payload, converted with Jackson; null means empty
         * @return this builder
         */
        public Builder payload(Map<String, ?> value) {
            this.payload = value;
            return this;
        }

        /**
         * Sets the {@code thread_id}.
         *
         * @param value the thread id, or null
         * @return this builder
         */
        public Builder threadId(String value) {
            this.threadId = value;
            return this;
        }

        /**
         * Sets the {@code run_id}.
         *
         * @param value the run id, or null
         * @return this builder
         */
        public Builder runId(String value) {
            this.runId = value;
            return this;
        }

        /**
         * Sets the {@code message_id}, which replies carry back as {@code correlation_id}.
         *
         * @param value the message id, or null
         * @return this builder
         */
        public Builder messageId(String value) {
            this.messageId = value;
            return this;
        }

        /**
         * {@return the message}
         * @throws IllegalArgumentException when the payload cannot be converted to a JSON object
         */
        public Message build() {
            ObjectNode node = payload == null ? MessageParser.DEFAULT.emptyObject() : MessageParser.DEFAULT.toTree(payload);
            return new Message(MessageTypes.normalize(rawType), rawType, node, null, threadId, runId, messageId, null);
        }
    }
}
