package io.wsrouter.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Parses frames into {@link Message}s under {@link MessageLimits}. One private {@link ObjectMapper}
 * per instance, whose {@link JsonFactory} carries the limits as {@link StreamReadConstraints}.
 * Thread-safe and immutable after construction.
 */
final class MessageParser {

    static final MessageParser DEFAULT = new MessageParser(MessageLimits.DEFAULT);

    private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() { };

    /** The payload of messages sent without one. Shared, so never mutated: handlers only get copies. */
    static final ObjectNode EMPTY_PAYLOAD = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    private final MessageLimits limits;
    private final ObjectMapper mapper;
    private final ObjectReader reader;

    MessageParser(MessageLimits limits) {
        this.limits = limits;
        // One constraints object: each streamReadConstraints(...) call replaces the previous one.
        StreamReadConstraints constraints = new TypedConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxStringLength(limits.maxFrameBytes())
                .maxNumberLength(limits.maxNumberLength())
                .maxDocumentLength(limits.maxFrameBytes())
                .build());
        // No field-name canonicalization: Jackson's shared name table is where colliding key names
        // flood (and a flood could leave the shared root table inconsistent, failing later frames
        // with "Internal error on SymbolTable.rehash()", jackson-core#547); key count is bounded instead.
        JsonFactory factory = JsonFactory.builder()
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .build();
        this.reader = mapper.reader();
    }

    MessageLimits limits() {
        return limits;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Parses a frame in one streaming pass: the whole text is tokenized and validated (syntax, limits,
     * duplicate keys, trailing content), the envelope fields are read, and the payload object is only
     * delimited; its tree is built when a handler first reads it. JSON-RPC and arrays take the tree path.
     */
    Message parse(String frame) throws MessageFormatException {
        if (frame == null) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "frame is null");
        }
        checkSize(frame);
        Envelope e = new Envelope();
        try (JsonParser p = mapper.createParser(frame)) {
            JsonToken token = p.nextToken();
            if (token == null) {
                throw new MessageFormatException(ErrorCode.INVALID_JSON, "frame is empty");
            }
            if (token != JsonToken.START_OBJECT) {
                e.keys = skipValue(p);
                requireEnd(p);
                checkKeys(e.keys);
                if (token == JsonToken.START_ARRAY) {
                    return fromTree(readTree(frame));
                }
                throw new MessageFormatException(ErrorCode.INVALID_JSON, "frame must be a JSON object or array");
            }
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                e.keys++;
                String name = p.currentName();
                JsonToken value = p.nextToken();
                e.read(name, value, p, frame);
            }
            requireEnd(p);
            checkKeys(e.keys);
        } catch (StreamConstraintsException ex) {
            throw constraintViolation(ex);
        } catch (JsonProcessingException ex) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "not valid JSON" + where(ex), ex);
        } catch (IOException | IllegalArgumentException ex) {
            // IllegalArgumentException: Jackson's number conversions throw NumberFormatException.
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "not valid JSON", ex);
        }
        if (!e.hasType) {
            if (e.jsonRpc) {
                return fromTree(readTree(frame));
            }
            throw new MessageFormatException(ErrorCode.MISSING_TYPE, "message has no 'type'");
        }
        String rawType = checkType(e.type);
        if (e.badPayload) {
            throw new MessageFormatException(ErrorCode.INVALID_PAYLOAD, "'payload' must be a JSON object");
        }
        if (e.badField != null) {
            throw new MessageFormatException(ErrorCode.INVALID_PAYLOAD, "'" + e.badField + "' must be a string");
        }
        return new Message(MessageTypes.normalize(rawType), rawType, e.payloadJson, e.payloadStrings, this,
                e.threadId, e.runId, e.messageId, e.connectionId);
    }

    private void checkKeys(int keys) throws MessageFormatException {
        if (keys > limits.maxKeys()) {
            throw new MessageFormatException(ErrorCode.TOO_MANY_KEYS,
                    "the frame has " + keys + " object keys, more than " + limits.maxKeys());
        }
    }

    private static void requireEnd(JsonParser p) throws IOException, MessageFormatException {
        if (p.nextToken() != null) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "trailing content after the JSON value");
        }
    }

    private JsonNode readTree(String frame) throws MessageFormatException {
        try {
            return reader.readTree(frame);
        } catch (StreamConstraintsException ex) {
            throw constraintViolation(ex);
        } catch (JsonProcessingException ex) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "not valid JSON" + where(ex), ex);
        } catch (IllegalArgumentException ex) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "a number is out of range", ex);
        }
    }

    /**
     * Skips the value the parser is on (a scalar, or a whole object or array), checking on the way
     * what a tree parse would do: every decimal number must convert to an exact {@link java.math.BigDecimal}
     * of moderate scale, so that no frame accepted here can fail later, when its payload tree is built,
     * and no number can make a handler's {@code asLong()} expand a huge exponent.
     *
     * @return the number of object keys met on the way
     */
    static int skipValue(JsonParser p) throws IOException, MessageFormatException {
        JsonToken token = p.currentToken();
        int keys = 0;
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            int depth = 1;
            while (depth > 0) {
                token = p.nextToken();
                if (token == JsonToken.FIELD_NAME) {
                    keys++;
                } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    checkDecimal(p);
                } else if (token == null) {
                    throw new MessageFormatException(ErrorCode.INVALID_JSON, "unexpected end of JSON");
                }
            }
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            checkDecimal(p);
        }
        return keys;
    }

    /** The largest decimal exponent accepted (1e1000): far beyond any measurement, far below a bomb. */
    static final int MAX_DECIMAL_SCALE = 1000;

    private static void checkDecimal(JsonParser p) throws IOException, MessageFormatException {
        java.math.BigDecimal value;
        try {
            value = p.getDecimalValue();
        } catch (NumberFormatException ex) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "a number is out of range", ex);
        }
        if (Math.abs((long) value.scale()) > MAX_DECIMAL_SCALE) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON,
                    "a number's exponent is beyond +-" + MAX_DECIMAL_SCALE);
        }
    }

    /** Builds the tree of a payload that {@link #parse} already validated. */
    ObjectNode parsePayload(String json) {
        try {
            return (ObjectNode) reader.readTree(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a validated payload failed to parse", ex);
        }
    }

    /** @return the top-level string field of a validated payload object, or null when absent or not a string */
    String payloadText(String json, String field) {
        try (JsonParser p = mapper.createParser(json)) {
            p.nextToken(); // START_OBJECT
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean match = field.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (match) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException ex) {
            throw new IllegalStateException("a validated payload failed to parse", ex);
        }
    }

    private static String checkType(String rawType) throws MessageFormatException {
        if (rawType == null) {
            throw new MessageFormatException(ErrorCode.INVALID_TYPE, "'type' must be a string");
        }
        if (!MessageTypes.hasValidForm(rawType)) {
            throw new MessageFormatException(ErrorCode.INVALID_TYPE,
                    "'type' must be 1-" + MessageLimits.MAX_TYPE_LENGTH + " characters of [A-Za-z0-9_.:-]");
        }
        return rawType;
    }

    /** The envelope fields met during the streaming pass; anything else is skipped (but validated). */
    private static final class Envelope {
        boolean hasType;
        String type;
        String payloadJson;
        /** The payload's top-level string fields as name, value pairs (null-padded); null if not all were kept. */
        String[] payloadStrings;
        boolean badPayload;
        boolean jsonRpc;
        String badField;
        String threadId;
        String runId;
        String messageId;
        String connectionId;
        /** Object keys met so far, at every depth. */
        int keys;

        void read(String name, JsonToken value, JsonParser p, String frame) throws IOException, MessageFormatException {
            switch (name) {
                case "type" -> {
                    if (value != JsonToken.VALUE_NULL) {
                        hasType = true;
                        type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                }
                case "payload" -> {
                    if (value == JsonToken.START_OBJECT) {
                        int start = (int) p.currentTokenLocation().getCharOffset();
                        readPayloadStrings(p);
                        payloadJson = frame.substring(start, (int) p.currentLocation().getCharOffset());
                        return;
                    }
                    badPayload = value != JsonToken.VALUE_NULL;
                }
                case "jsonrpc" -> jsonRpc = value == JsonToken.VALUE_STRING && "2.0".equals(p.getText());
                case "thread_id" -> threadId = id(name, value, p);
                case "run_id" -> runId = id(name, value, p);
                case "message_id" -> messageId = id(name, value, p);
                case "connection_id" -> connectionId = id(name, value, p);
                default -> {
                    // not an envelope field: validated by skipping
                }
            }
            keys += skipValue(p);
        }

        /**
         * Walks the payload's top-level fields, keeping its string fields (name, value, ...) so that
         * {@link Message#payloadText} needs no second parse; nested values are skipped (validated).
         */
        private void readPayloadStrings(JsonParser p) throws IOException, MessageFormatException {
            String[] strings = null;
            int count = 0;
            boolean complete = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                keys++;
                String name = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    if (count == Message.MAX_CAPTURED_STRINGS * 2) {
                        complete = false;
                        continue;
                    }
                    if (strings == null) {
                        strings = new String[Message.MAX_CAPTURED_STRINGS * 2];
                    }
                    strings[count++] = name;
                    strings[count++] = p.getText();
                } else {
                    keys += skipValue(p);
                }
            }
            payloadStrings = !complete ? null : strings == null ? Message.NO_STRINGS : strings;
        }

        private String id(String name, JsonToken value, JsonParser p) throws IOException {
            if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
                return p.getText();
            }
            if (value != JsonToken.VALUE_NULL && badField == null) {
                badField = name;
            }
            return null;
        }
    }

    private void checkSize(String frame) throws MessageFormatException {
        int chars = frame.length();
        int max = limits.maxFrameBytes();
        // A char is 1 to 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 chars): only count when in doubt.
        if (chars > max || ((long) chars * 3 > max && utf8Length(frame) > max)) {
            throw new MessageFormatException(ErrorCode.MESSAGE_TOO_LARGE,
                    "frame exceeds " + max + " bytes");
        }
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Maps a violated constraint to its code by exception type: {@link TypedConstraints} throws
     * {@link NestingTooDeep} and {@link LengthExceeded} for the limits we configure. Any other
     * {@link StreamConstraintsException} would come from Jackson's field-name table refusing keys whose
     * names collide in its hash; canonicalization is off, so that table is not used, but should a
     * Jackson version raise it anyway it is {@code TOO_MANY_KEYS}, never a size error.
     */
    private MessageFormatException constraintViolation(StreamConstraintsException e) {
        if (e instanceof NestingTooDeep) {
            return new MessageFormatException(ErrorCode.NESTING_TOO_DEEP,
                    "JSON nests deeper than " + limits.maxNestingDepth() + " levels", e);
        }
        if (e instanceof LengthExceeded) {
            return new MessageFormatException(ErrorCode.MESSAGE_TOO_LARGE,
                    "a string, number or the document exceeds its length limit", e);
        }
        return new MessageFormatException(ErrorCode.TOO_MANY_KEYS,
                "an object's keys collide in the parser's name table", e);
    }

    /** Jackson's constraints, rethrowing each violation as a type that names the limit. */
    static final class TypedConstraints extends StreamReadConstraints {
        private static final long serialVersionUID = 1L;

        TypedConstraints(StreamReadConstraints c) {
            super(c.getMaxNestingDepth(), c.getMaxDocumentLength(), c.getMaxNumberLength(), c.getMaxStringLength(),
                    c.getMaxNameLength(), c.getMaxTokenCount());
        }

        @Override
        public void validateNestingDepth(int depth) throws StreamConstraintsException {
            try {
                super.validateNestingDepth(depth);
            } catch (StreamConstraintsException e) {
                throw new NestingTooDeep(e.getOriginalMessage());
            }
        }

        @Override
        public void validateDocumentLength(long length) throws StreamConstraintsException {
            try {
                super.validateDocumentLength(length);
            } catch (StreamConstraintsException e) {
                throw new LengthExceeded(e.getOriginalMessage());
            }
        }

        @Override
        public void validateTokenCount(long count) throws StreamConstraintsException {
            try {
                super.validateTokenCount(count);
            } catch (StreamConstraintsException e) {
                throw new LengthExceeded(e.getOriginalMessage());
            }
        }

        @Override
        public void validateFPLength(int length) throws StreamConstraintsException {
            try {
                super.validateFPLength(length);
            } catch (StreamConstraintsException e) {
                throw new LengthExceeded(e.getOriginalMessage());
            }
        }

        @Override
        public void validateIntegerLength(int length) throws StreamConstraintsException {
            try {
                super.validateIntegerLength(length);
            } catch (StreamConstraintsException e) {
                throw new LengthExceeded(e.getOriginalMessage());
            }
        }

        @Override
        public void validateStringLength(int length) throws StreamConstraintsException {
            try {
                super.validateStringLength(length);
            } catch (StreamConstraintsException e) {
                throw new LengthExceeded(e.getOriginalMessage());
            }
        }

        @Override
        public void validateNameLength(int length) throws StreamConstraintsException {
            try {
                super.validateNameLength(length);
            } catch (StreamConstraintsException e) {
                throw new LengthExceeded(e.getOriginalMessage());
            }
        }

        @Override
        public void validateBigIntegerScale(int scale) throws StreamConstraintsException {
            try {
                super.validateBigIntegerScale(scale);
            } catch (StreamConstraintsException e) {
                throw new LengthExceeded(e.getOriginalMessage());
            }
        }
    }

    /** The configured nesting depth was exceeded. */
    static final class NestingTooDeep extends StreamConstraintsException {
        private static final long serialVersionUID = 1L;

        NestingTooDeep(String message) {
            super(message);
        }
    }

    /** A configured length (document, string, number, name) was exceeded. */
    static final class LengthExceeded extends StreamConstraintsException {
        private static final long serialVersionUID = 1L;

        LengthExceeded(String message) {
            super(message);
        }
    }

    /**
     * Reads the top-level {@code id} of a frame that was refused, for the JSON-RPC error reply: the
     * frame is scanned (top level only, nested values skipped, under the same limits) until the id
     * or the first fault.
     *
     * @return the id when it was read before any fault and is a string, number or null; else JSON null
     */
    JsonNode readableId(String frame) {
        if (frame == null) {
            return com.fasterxml.jackson.databind.node.NullNode.instance;
        }
        com.fasterxml.jackson.databind.node.JsonNodeFactory nodes = mapper.getNodeFactory();
        try (JsonParser p = mapper.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return nodes.nullNode();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean id = "id".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (id) {
                    switch (value) {
                        case VALUE_STRING: return nodes.textNode(p.getText());
                        case VALUE_NUMBER_INT: return nodes.numberNode(p.getBigIntegerValue());
                        case VALUE_NUMBER_FLOAT: return nodes.numberNode(p.getDecimalValue());
                        default: return nodes.nullNode();
                    }
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // the fault that refused the frame, met before any id: none is readable
        }
        return nodes.nullNode();
    }

    private static String where(JsonProcessingException e) {
        // Location only: Jackson's message may quote the input, which must not reach logs or clients.
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    Message fromTree(JsonNode root) throws MessageFormatException {
        if (root.isArray()) {
            if (root.size() > limits.maxBatchEntries()) {
                throw new MessageFormatException(ErrorCode.BATCH_TOO_LARGE,
                        "JSON-RPC batch has " + root.size() + " entries, more than " + limits.maxBatchEntries());
            }
            return new Message(MessageTypes.JSONRPC_BATCH, MessageTypes.JSONRPC_BATCH, emptyObject(), root,
                    null, null, null, null);
        }
        if (!root.isObject()) {
            throw new MessageFormatException(ErrorCode.INVALID_JSON, "frame must be a JSON object or array");
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || typeNode.isNull()) {
            JsonNode version = root.get("jsonrpc");
            if (version != null && version.isTextual() && "2.0".equals(version.textValue())) {
                String kind = jsonRpcKind(root);
                return new Message(kind, kind, emptyObject(), root, null, null, null, null);
            }
            throw new MessageFormatException(ErrorCode.MISSING_TYPE, "message has no 'type'");
        }
        if (!typeNode.isTextual()) {
            throw new MessageFormatException(ErrorCode.INVALID_TYPE, "'type' must be a string");
        }
        String rawType = typeNode.textValue();
        if (!MessageTypes.hasValidForm(rawType)) {
            throw new MessageFormatException(ErrorCode.INVALID_TYPE,
                    "'type' must be 1-" + MessageLimits.MAX_TYPE_LENGTH + " characters of [A-Za-z0-9_.:-]");
        }
        JsonNode payloadNode = root.get("payload");
        ObjectNode payload;
        if (payloadNode == null || payloadNode.isNull()) {
            payload = emptyObject();
        } else if (payloadNode.isObject()) {
            payload = (ObjectNode) payloadNode;
        } else {
            throw new MessageFormatException(ErrorCode.INVALID_PAYLOAD, "'payload' must be a JSON object");
        }
        return new Message(MessageTypes.normalize(rawType), rawType, payload, null,
                idField(root, "thread_id"), idField(root, "run_id"), idField(root, "message_id"),
                idField(root, "connection_id"));
    }

    private static String jsonRpcKind(JsonNode root) {
        JsonNode method = root.get("method");
        if (method != null) {
            return method.isTextual() && !root.has("id") ? MessageTypes.JSONRPC_NOTIFICATION : MessageTypes.JSONRPC_REQUEST;
        }
        return root.has("result") || root.has("error") ? MessageTypes.JSONRPC_RESPONSE : MessageTypes.JSONRPC_REQUEST;
    }

    private static String idField(JsonNode root, String name) throws MessageFormatException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        throw new MessageFormatException(ErrorCode.INVALID_PAYLOAD, "'" + name + "' must be a string");
    }

    ObjectNode emptyObject() {
        return mapper.getNodeFactory().objectNode();
    }

    /** Converts a map from code; checks that the result is an object. */
    ObjectNode toTree(Map<String, ?> map) {
        JsonNode node;
        try {
            node = mapper.valueToTree(map);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("payload cannot be converted to JSON: " + e.getMessage(), e);
        }
        return (ObjectNode) node;
    }

    Map<String, Object> toMap(JsonNode node) {
        return mapper.convertValue(node, MAP_TYPE);
    }

    String toJson(Message message) {
        if (message.isJsonRpc()) {
            return message.jsonRpcView().toString();
        }
        ObjectNode root = emptyObject();
        root.put("type", message.rawType());
        root.set("payload", message.payloadView());
        message.threadId().ifPresent(v -> root.put("thread_id", v));
        message.runId().ifPresent(v -> root.put("run_id", v));
        message.messageId().ifPresent(v -> root.put("message_id", v));
        message.connectionId().ifPresent(v -> root.put("connection_id", v));
        return root.toString();
    }

}
