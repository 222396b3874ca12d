package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
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

class EventFrameTest {

    private final Frames frames = new Frames(new ObjectMapper(), Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

    private EventFrame event(String type, Object data) {
        return frames.event(type, data, "c-1", "r-1", "supervisor", null);
    }

    @Test
    void aStampedEventIsTheEnvelopeStampedAsBrokerStampDoesIt() {
        String envelope = frames.envelope("agent_thinking", Map.of("reasoning", "héllo ✓ \"quoted\""), "c-1", "r-1", "supervisor", null);
        for (long offset : new long[] {0, 1, 9, 10, 99, 100, 123_456_789, Long.MAX_VALUE}) {
            EventFrame frame = event("agent_thinking", Map.of("reasoning", "héllo ✓ \"quoted\""));
            try {
                assertThat(frame.plain()).isEqualTo(envelope);
                assertThat(frame.stamped(offset, "k3f9")).isEqualTo(Broker.stamp(envelope, offset, "k3f9"));
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void stampingAgainGivesTheOtherPositionNotBoth() {
        EventFrame frame = event("x", Map.of());
        try {
            String plain = frame.plain();
            frame.stamped(1, "a");
            assertThat(frame.plain()).isEqualTo(plain);
            assertThat(frame.stamped(2, "b")).isEqualTo(Broker.stamp(frame.plain(), 2, "b")).endsWith(",\"offset\":2,\"epoch\":\"b\"}");
        } finally {
            frame.release();
        }
    }

    @Test
    void aFrameIsKnownToBeAsciiOnlyWhenEveryCharacterIs() {
        EventFrame ascii = event("x", Map.of("text", "plain"));
        try {
            ascii.stamped(1, "e");
            assertThat(ascii.stampedIsAscii()).isTrue();
        } finally {
            ascii.release();
        }
        for (String text : new String[] {"é", "\u007f\u0080", "😀", "✓"}) {
            EventFrame other = event("x", Map.of("text", text));
            try {
                other.stamped(1, "e");
                assertThat(other.stampedIsAscii()).as(text).isFalse();
            } finally {
                other.release();
            }
        }
        EventFrame wrapped = EventFrame.of("{}");
        wrapped.stamped(1, "e");
        assertThat(wrapped.stampedIsAscii()).isFalse();
    }

    @Test
    void aWrappedStringIsStampedAsIsAndANonObjectIsRefused() {
        assertThat(EventFrame.of("{}").stamped(7, "e")).isEqualTo("{\"offset\":7,\"epoch\":\"e\"}");
        assertThat(EventFrame.of("{\"a\":1}").plain()).isEqualTo("{\"a\":1}");
        assertThatThrownBy(() -> EventFrame.of("[1]").stamped(1, "e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventFrame.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNestedEmitOnTheSameThreadGetsABufferOfItsOwn() {
        EventFrame outer = event("outer", Map.of("n", 1));
        try {
            String before = outer.plain();
            EventFrame inner = event("inner", Map.of("n", 2));
            try {
                assertThat(inner.buffer()).isNotSameAs(outer.buffer());
                assertThat(inner.plain()).contains("\"inner\"");
            } finally {
                inner.release();
            }
            assertThat(outer.plain()).isEqualTo(before);
            assertThat(outer.stamped(3, "e")).isEqualTo(Broker.stamp(before, 3, "e"));
        } finally {
            outer.release();
        }
        EventFrame next = event("next", Map.of());
        try {
            assertThat(next.buffer()).isSameAs(outer.buffer()); // released: the thread's buffer is reused
        } finally {
            next.release();
        }
    }

    @Test
    void aHugeEventIsWholeAndItsBufferIsNotKeptByTheThread() {
        String big = "x".repeat(100_000);
        EventFrame frame = event("big", Map.of("text", big));
        try {
            assertThat(frame.stamped(1, "e")).contains(big).endsWith("\"offset\":1,\"epoch\":\"e\"}");
        } finally {
            frame.release();
        }
        EventFrame next = event("small", Map.of());
        try {
            assertThat(next.buffer()).hasSizeLessThan(100_000); // the huge buffer was not kept
            assertThat(next.plain()).isEqualTo(frames.envelope("small", Map.of(), "c-1", "r-1", "supervisor", null));
        } finally {
            next.release();
        }
    }

    @Test
    void dataThatCannotBeSerializedFailsAndLeavesTheBufferFree() {
        Object unserializable = new Object();
        assertThatThrownBy(() -> event("bad", unserializable)).isInstanceOf(UncheckedIOException.class);
        EventFrame next = event("good", Map.of());
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
                        String expected = Broker.stamp(frames.envelope("e", data, "c-1", "r-1", "supervisor", null), i, "ep" + thread);
                        EventFrame frame = event("e", data);
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
