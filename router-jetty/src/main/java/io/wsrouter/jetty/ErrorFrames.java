package io.wsrouter.jetty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.wsrouter.core.ErrorCode;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code error_message} frames the adapter itself answers with (a refused connection, a binary
 * frame), in the router's envelope: {@code {"type":"error_message","data":{"error_code":...,
 * "error_message":...,"details":{}},"timestamp":"...Z"}}. Core keeps its envelope writer private, so
 * this writes the same shape; a test pins it against the router's own error frames.
 */
final class ErrorFrames {

    private static final ObjectWriter WRITER = new ObjectMapper().writer();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ErrorFrames() {
    }

    static String error(ErrorCode code, String message, Clock clock) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error_code", code.name());
        data.put("error_message", message);
        data.put("details", Map.of());
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", "error_message");
        envelope.put("data", data);
        envelope.put("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(clock.millis())));
        try {
            return WRITER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write an error frame", e);
        }
    }
}
