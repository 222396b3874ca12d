package io.wsrouter.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The inputs every implementation gets, so that the three of them do the same work: one inbound frame
 * (W1), one outbound event (W2), the message types registered, and the id schemes.
 */
public final class Workloads {

    /** The W1 frame: a user message of about 150 bytes, as a browser client sends it. */
    public static final String FRAME = "{\"type\":\"user_message\",\"payload\":{\"content\":\"Summarise the open "
            + "tickets for this week\",\"priority\":\"normal\"},\"thread_id\":\"thread-7f3a\",\"message_id\":\"m-1042\"}";

    /** The payload field every W1 handler reads (and feeds to its {@link ContentSink}). */
    public static final String CONTENT_FIELD = "content";

    /** The type of the W1 frame. */
    public static final String USER_MESSAGE = "user_message";

    /**
     * The twelve application types each peer registers a handler (or a {@code @MessageMapping} method)
     * for; the W1 frame targets the first.
     */
    public static final List<String> TYPES = List.of(
            USER_MESSAGE, "chat", "ping", "pong", "heartbeat", "user_typing", "agent_request", "start_agent",
            "thread_update", "thread_message", "error_message", "agent_status_update");

    /** The W2 event type. */
    public static final String EVENT_TYPE = "agent_thinking";

    /** The W2 event data (serialized by each implementation as its envelope requires). */
    public static final Map<String, Object> EVENT_DATA = eventData();

    /** The STOMP destination prefix for application handlers. */
    public static final String APP_PREFIX = "/app/";

    /** The destination users subscribe to, before Spring's per-session translation. */
    public static final String USER_QUEUE = "/queue/events";

    /** How many random targets W2 cycles through (a power of two). */
    public static final int TARGET_COUNT = 1 << 16;

    private Workloads() {
    }

    /** @return the W1 frame as the STOMP {@code SEND} frame a Spring client sends: headers, JSON body, NUL */
    public static String stompSend(String type, String body) {
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        return "SEND\ndestination:" + APP_PREFIX + type + "\ncontent-type:application/json\ncontent-length:"
                + length + "\n\n" + body + "\0";
    }

    /** @return the id of user {@code i}: {@code user-000042} */
    public static String userId(int i) {
        return String.format("user-%06d", i);
    }

    /**
     * @return {@code n} connection ids in the form WebSocket containers use (a random UUID, 36 chars),
     *         from a fixed seed so that every run and implementation gets the same ids
     */
    public static String[] connectionIds(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        return ids;
    }

    /** @return {@link #TARGET_COUNT} user indexes drawn uniformly from {@code [0, users)}, fixed seed */
    public static int[] uniformTargets(int users, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] targets = new int[TARGET_COUNT];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = random.nextInt(users);
        }
        return targets;
    }

    private static Map<String, Object> eventData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reasoning", "Looking up the open tickets");
        data.put("step_number", 2);
        data.put("progress_percentage", 40);
        return java.util.Collections.unmodifiableMap(data);
    }
}
