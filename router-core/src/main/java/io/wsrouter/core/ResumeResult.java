package io.wsrouter.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a {@code resume}, sent to the client as the {@code data} of a
 * {@code resume_result} frame: {@code {"recovered":true,"replayed":3,"epoch":"k3f9","offset":44}}.
 *
 * @param recovered {@code true} when every event after the client's offset was replayed; {@code false}
 *                  when the epoch differs or part of it is no longer in history (nothing replayed: the
 *                  client must resynchronise another way)
 * @param replayed  how many events were replayed to the connection
 * @param epoch     the stream's epoch now
 * @param offset    the stream's last offset now (the offset of the last event sent to the connection
 *                  when recovered)
 */
public record ResumeResult(boolean recovered, int replayed, String epoch, long offset) {

    /**
     * Rejects a null epoch.
     *
     * @param recovered {@code true} when every event after the client's offset was replayed; {@code false}
     *                  when the epoch differs or part of it is no longer in history (nothing replayed: the
     *                  client must resynchronise another way)
     * @param replayed  how many events were replayed to the connection
     * @param epoch     the stream's epoch now
     * @param offset    the stream's last offset now (the offset of the last event sent to the connection
     *                  when recovered)
     */
    public ResumeResult {
        Objects.requireNonNull(epoch, "epoch");
    }

    /** {@return the wire form: {@code recovered}, {@code replayed}, {@code epoch}, {@code offset}} */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("recovered", recovered);
        map.put("replayed", replayed);
        map.put("epoch", epoch);
        map.put("offset", offset);
        return map;
    }
}
