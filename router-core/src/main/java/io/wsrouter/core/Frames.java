package io.wsrouter.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes outbound frames in the one envelope of the wire protocol:
 * {@code {"type":...,"data":...,"timestamp":"...Z","correlation_id":...}} plus {@code run_id} and
 * {@code agent_name} for agent events. Each frame is serialized once, whatever the number of
 * connections it goes to. Thread-safe.
 */
final class Frames {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;
    private final Clock clock;
    /** The last formatted millisecond: most frames of a busy router share it. */
    private volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    Frames(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    String envelope(String type, Object data, String correlationId) {
        return envelope(type, data, correlationId, null, null, null);
    }

    String envelope(String type, Object data, String correlationId, String runId, String agentName, String threadId) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeFieldName("data");
            if (data == null) {
                g.writeStartObject();
                g.writeEndObject();
            } else {
                g.writeObject(data);
            }
            g.writeStringField("timestamp", timestamp());
            if (correlationId != null) {
                g.writeStringField("correlation_id", correlationId);
            }
            if (runId != null) {
                g.writeStringField("run_id", runId);
            }
            if (agentName != null) {
                g.writeStringField("agent_name", agentName);
            }
            if (threadId != null) {
                g.writeStringField("thread_id", threadId);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the data of a '" + type + "' frame", e);
        }
        return out.toString();
    }

    String error(ErrorCode code, String message, String correlationId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("error_code", code.name());
        data.put("error_message", message);
        data.put("details", Map.of());
        return envelope("error_message", data, correlationId);
    }

    String timestamp() {
        long millis = clock.millis();
        Stamp stamp = lastStamp;
        if (stamp.millis != millis) {
            stamp = new Stamp(millis, TIMESTAMP.format(java.time.Instant.ofEpochMilli(millis)));
            lastStamp = stamp;
        }
        return stamp.text;
    }

    private record Stamp(long millis, String text) {
    }
}
