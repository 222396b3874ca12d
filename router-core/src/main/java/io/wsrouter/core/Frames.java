package io.wsrouter.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
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

    private static final Map<String, Object> EMPTY = Map.of();

    private final ObjectWriter writer;
    private final Clock clock;
    /** The last formatted millisecond: most frames of a busy router share it. */
    private volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    Frames(ObjectMapper mapper, Clock clock) {
        this.writer = mapper.writerFor(Envelope.class);
        this.clock = clock;
    }

    String envelope(String type, Object data, String correlationId) {
        return envelope(type, data, correlationId, null, null, null);
    }

    String envelope(String type, Object data, String correlationId, String runId, String agentName, String threadId) {
        FrameBuffer frame = buffer(type, data, correlationId, runId, agentName, threadId);
        try {
            return frame.plain();
        } finally {
            frame.release();
        }
    }

    /**
     * Serializes a frame's envelope into the calling thread's buffer: for an event of a user's stream,
     * which the broker completes with the offset and epoch (see {@link FrameBuffer}), and for every other
     * frame through {@link #envelope}.
     *
     * @return the frame, owned by the caller until {@link FrameBuffer#release()}
     * @throws UncheckedIOException when data cannot be serialized (the buffer is released)
     */
    FrameBuffer buffer(String type, Object data, String correlationId, String runId, String agentName, String threadId) {
        FrameBuffer frame = FrameBuffer.acquire();
        try {
            writer.writeValue(frame, new Envelope(type, data == null ? EMPTY : data, timestamp(),
                    correlationId, runId, agentName, threadId));
            return frame;
        } catch (IOException e) {
            frame.release();
            throw new UncheckedIOException("cannot serialize the data of a '" + type + "' frame", e);
        } catch (RuntimeException | Error e) {
            frame.release();
            throw e;
        }
    }

    /** The outbound envelope, serialized by Jackson in this field order; null fields are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"type", "data", "timestamp", "correlation_id", "run_id", "agent_name", "thread_id"})
    record Envelope(@JsonProperty("type") String type,
                    @JsonProperty("data") Object data,
                    @JsonProperty("timestamp") String timestamp,
                    @JsonProperty("correlation_id") String correlationId,
                    @JsonProperty("run_id") String runId,
                    @JsonProperty("agent_name") String agentName,
                    @JsonProperty("thread_id") String threadId) {
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
