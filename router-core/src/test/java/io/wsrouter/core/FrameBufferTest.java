package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FrameBufferTest {

    private final Frames frames = new Frames(new ObjectMapper(), Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

    private FrameBuffer event(String type, Object data) { // an agent event, as RunHandle serializes it
        return frames.buffer(type, data, "c-1", "r-1", "supervisor", null);
    }

    /** The oracle of the envelope: Jackson's own writeValueAsString, not the buffer under test. */
    private static final ObjectWriter ENVELOPE = new ObjectMapper().writerFor(Frames.Envelope.class);

    private static String jackson(String type, Object data) {
        try {
            return ENVELOPE.writeValueAsString(
                    new Frames.Envelope(type, data, "2026-12-01T10:00:00.000Z", "c-1", "r-1", "supervisor", null));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** The oracle of the stamp, spelled out as the wire protocol gives it. */
    private static String stampOf(String envelope, long offset, String epoch) {
        return envelope.substring(0, envelope.length() - 1) + ",\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"}";
    }

    @Test
    void aStampedEventIsJacksonsEnvelopeWithOffsetAndEpochAppended() {
        String envelope = jackson("agent_thinking", Map.of("reasoning", "héllo ✓ \"quoted\""));
        for (long offset : new long[] {0, 1, 9, 10, 99, 100, 123_456_789, Long.MAX_VALUE}) {
            FrameBuffer frame = event("agent_thinking", Map.of("reasoning", "héllo ✓ \"quoted\""));
            try {
                assertThat(frame.plain()).isEqualTo(envelope);
                assertThat(frame.stamped(offset, "k3f9")).isEqualTo(stampOf(envelope, offset, "k3f9"));
                assertThat(Broker.stamp(envelope, offset, "k3f9")).isEqualTo(stampOf(envelope, offset, "k3f9"));
            } finally {
                frame.release();
            }
        }
    }

    /**
     * A stamp that exactly fills the buffer: every frame length around the first buffer's size (and its
     * doublings), with the longest offset. An undersized bound threw ArrayIndexOutOfBoundsException at
     * 472 characters.
     */
    @Test
    void aStampNeverOverrunsTheBufferWhateverTheFrameLength() {
        for (int length = 2; length <= 2_200; length++) {
            String frame = length == 2 ? "{}" : "{\"a\":\"" + "x".repeat(Math.max(0, length - 8)) + "\"}";
            for (String epoch : new String[] {"e", "k3f9x2abcdefg"}) {
                String expected = frame.equals("{}") ? "{\"offset\":" + Long.MAX_VALUE + ",\"epoch\":\"" + epoch + "\"}"
                        : stampOf(frame, Long.MAX_VALUE, epoch);
                assertThat(Broker.stamp(frame, Long.MAX_VALUE, epoch)).as("length %d", frame.length()).isEqualTo(expected);
            }
        }
    }

    @Test
    void stampingAgainGivesTheOtherPositionNotBoth() {
        FrameBuffer frame = event("x", Map.of());
        try {
            String plain = frame.plain();
            frame.stamped(1, "a");
            assertThat(frame.plain()).isEqualTo(plain);
            assertThat(frame.stamped(2, "b")).isEqualTo(stampOf(frame.plain(), 2, "b")).endsWith(",\"offset\":2,\"epoch\":\"b\"}");
        } finally {
            frame.release();
        }
    }

    @Test
    void aFrameIsKnownToBeAsciiOnlyWhenEveryCharacterIs() {
        FrameBuffer ascii = event("x", Map.of("text", "plain"));
        try {
            ascii.stamped(1, "e");
            assertThat(ascii.stampedIsAscii()).isTrue();
        } finally {
            ascii.release();
        }
        for (String text : new String[] {"é", "\u007f\u0080", "😀", "✓"}) {
            FrameBuffer other = event("x", Map.of("text", text));
            try {
                other.stamped(1, "e");
                assertThat(other.stampedIsAscii()).as(text).isFalse();
            } finally {
                other.release();
            }
        }
        FrameBuffer copied = FrameBuffer.of("{\"text\":\"é\"}");
        try {
            copied.stamped(1, "e");
            assertThat(copied.stampedIsAscii()).isFalse();
        } finally {
            copied.release();
        }
    }

    @Test
    void aStringFrameIsCopiedInAndStampedAndANonObjectIsRefused() {
        FrameBuffer empty = FrameBuffer.of("{}");
        FrameBuffer one = FrameBuffer.of("{\"a\":1}");
        FrameBuffer array = FrameBuffer.of("[1]");
        try {
            assertThat(empty.stamped(7, "e")).isEqualTo("{\"offset\":7,\"epoch\":\"e\"}");
            assertThat(one.plain()).isEqualTo("{\"a\":1}");
            assertThat(one.stamped(7, "e")).isEqualTo(stampOf("{\"a\":1}", 7, "e"));
            assertThatThrownBy(() -> array.stamped(1, "e")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an event frame must be a JSON object");
        } finally {
            array.release();
            one.release();
            empty.release();
        }
        assertThatThrownBy(() -> FrameBuffer.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Broker.stamp("", 1, "e")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNestedEmitOnTheSameThreadGetsABufferOfItsOwn() {
        FrameBuffer outer = event("outer", Map.of("n", 1));
        try {
            String before = outer.plain();
            FrameBuffer inner = event("inner", Map.of("n", 2));
            try {
                assertThat(inner.buffer()).isNotSameAs(outer.buffer());
                assertThat(inner.plain()).contains("\"inner\"");
            } finally {
                inner.release();
            }
            assertThat(outer.plain()).isEqualTo(before);
            assertThat(outer.stamped(3, "e")).isEqualTo(stampOf(before, 3, "e"));
        } finally {
            outer.release();
        }
        FrameBuffer next = event("next", Map.of());
        try {
            assertThat(next.buffer()).isSameAs(outer.buffer()); // released: the thread's buffer is reused
        } finally {
            next.release();
        }
    }

    @Test
    void aHugeEventIsWholeAndItsBufferIsNotKeptByTheThread() {
        String big = "x".repeat(100_000);
        FrameBuffer frame = event("big", Map.of("text", big));
        try {
            assertThat(frame.stamped(1, "e")).contains(big).endsWith("\"offset\":1,\"epoch\":\"e\"}");
        } finally {
            frame.release();
        }
        FrameBuffer next = event("small", Map.of());
        try {
            assertThat(next.buffer()).hasSizeLessThan(100_000); // the huge buffer was not kept
            assertThat(next.plain()).isEqualTo(jackson("small", Map.of()));
        } finally {
            next.release();
        }
    }

    @Test
    void dataThatCannotBeSerializedFailsAndLeavesTheBufferFree() {
        Object unserializable = new Object();
        assertThatThrownBy(() -> event("bad", unserializable)).isInstanceOf(UncheckedIOException.class);
        FrameBuffer next = event("good", Map.of());
        try {
            assertThat(next.plain()).contains("\"good\"");
        } finally {
            next.release();
        }
    }

    @Test
    void eightThreadsSerializeAndStampWithoutSeeingEachOthersBuffers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 5_000; i++) {
                        Map<String, Object> data = Map.of("thread", thread, "i", i, "pad", "p".repeat(i % 700));
                        String expected = stampOf(jackson("e", data), i, "ep" + thread);
                        FrameBuffer frame = event("e", data);
                        try {
                            if (!frame.stamped(i, "ep" + thread).equals(expected)) {
                                throw new AssertionError("thread " + thread + " event " + i + " differs");
                            }
                        } finally {
                            frame.release();
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(5_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
