package io.wsrouter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.Broker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's ordering of one user's events, without Redis: fills are answered by the test. */
class UserStreamTest {

    private final Node.Outlet outlet = new Node.Outlet();
    private final List<long[]> fills = new ArrayList<>();
    private final List<long[]> unfilled = new ArrayList<>();
    private int filled;
    private final UserStream.Host host = new UserStream.Host() {
        @Override
        public void fill(UserStream stream, long from, long to) {
            fills.add(new long[] {from, to});
        }

        @Override
        public void gapFilled() {
            filled++;
        }

        @Override
        public void gapNotFilled(String userId, long from, long to) {
            unfilled.add(new long[] {from, to});
        }
    };

    private UserStream stream(String... connections) {
        UserStream s = new UserStream("alice", outlet, host);
        for (String c : connections) {
            outlet.open("alice", c);
            s.connections.add(c);
        }
        return s;
    }

    private static String frame(long offset) {
        return Broker.stamp("{\"type\":\"x\"}", offset, "e1");
    }

    private List<Long> offsets(String connection) {
        return outlet.received.get(connection).stream().map(f -> UserStream.offsetOf(f, -1)).toList();
    }

    @Test
    void eventsBeforeTheFirstPositionWaitAndThoseItCoversAreDropped() {
        UserStream s = stream("c1");
        s.received("e1", 5, frame(5));
        s.received("e1", 6, frame(6));
        s.position("e1", 5);
        assertThat(offsets("c1")).containsExactly(6L);
        assertThat(fills).isEmpty();
    }

    @Test
    void aGapIsFilledFromTheStreamBeforeLaterEventsAreDelivered() {
        UserStream s = stream("c1");
        s.position("e1", 0);
        s.received("e1", 1, frame(1));
        s.received("e1", 4, frame(4));
        s.received("e1", 5, frame(5));
        assertThat(offsets("c1")).containsExactly(1L);
        assertThat(fills).containsExactly(new long[] {2, 3});
        s.filled("e1", 5, 2, 3, List.of(frame(2), frame(3)));
        assertThat(offsets("c1")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(filled).isEqualTo(1);
    }

    @Test
    void whatHistoryNoLongerHasIsSkippedAndReported() {
        UserStream s = stream("c1");
        s.position("e1", 0);
        s.received("e1", 4, frame(4));
        s.filled("e1", 4, 1, 3, List.of(frame(3)));
        assertThat(offsets("c1")).containsExactly(3L, 4L); // 1 and 2 were trimmed: the offsets jump, the client resumes
        assertThat(unfilled).containsExactly(new long[] {1, 3});
        assertThat(filled).isZero();
    }

    @Test
    void aMarkerAheadOfTheDeliveredOffsetAsksForTheEventsTheChannelLost() {
        UserStream s = stream("c1");
        s.position("e1", 2);
        s.received("e1", 4, ""); // marker: offsets up to 4 were published before it
        assertThat(fills).containsExactly(new long[] {3, 4});
        s.received("e1", 2, ""); // an older marker changes nothing
        assertThat(fills).hasSize(1);
    }

    @Test
    void aMarkerBeforeTheFirstPositionStartsDeliveryWithoutDroppingWhatAlreadyArrived() {
        UserStream s = stream("c1");
        s.received("e1", 8, frame(8)); // the first touch's answer is lost (timed out)
        s.received("e1", 9, frame(9));
        s.received("e1", 9, "");
        assertThat(offsets("c1")).containsExactly(8L, 9L);
        s.position("e1", 5); // a late answer changes nothing now
        assertThat(offsets("c1")).containsExactly(8L, 9L);
        assertThat(fills).isEmpty();
    }

    @Test
    void aNewEpochOnTheChannelRestartsTheOffsets() {
        UserStream s = stream("c1");
        s.position("e1", 7);
        s.received("e2", 1, Broker.stamp("{\"type\":\"x\"}", 1, "e2"));
        assertThat(offsets("c1")).containsExactly(1L);
        assertThat(s.epoch()).isEqualTo("e2");
    }

    @Test
    void liveEventsWaitForAResumeAndThoseItCoveredAreNotSentAgain() {
        UserStream s = stream("c1", "c2");
        s.position("e1", 3);
        s.beginResume("c2");
        s.received("e1", 4, frame(4));
        s.received("e1", 5, frame(5));
        assertThat(offsets("c1")).containsExactly(4L, 5L);
        assertThat(outlet.received.get("c2")).isEmpty();
        // The resume read the stream at 6 (event 6 is still on its way on the channel).
        s.endResume("c2", List.of(frame(2), frame(3), frame(4), frame(5), frame(6)), "{\"type\":\"resume_result\"}", "e1", 6);
        s.received("e1", 6, frame(6));
        s.received("e1", 7, frame(7));
        assertThat(offsets("c1")).containsExactly(4L, 5L, 6L, 7L);
        assertThat(offsets("c2")).containsExactly(2L, 3L, 4L, 5L, 6L, -1L, 7L);
    }
}
