package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InMemoryBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Function<ResumeResult, String> RESULT = r -> "{\"type\":\"resume_result\",\"recovered\":"
            + r.recovered() + ",\"replayed\":" + r.replayed() + "}";

    /** A node's connections: user -> connection ids, and what each connection received, in order. */
    static final class Outlet implements Broker.Outlet {
        final Map<String, List<String>> connections = new ConcurrentHashMap<>();
        final Map<String, List<String>> received = new ConcurrentHashMap<>();

        synchronized void open(String user, String connection) {
            received.computeIfAbsent(connection, c -> Collections.synchronizedList(new ArrayList<>()));
            connections.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(connection);
        }

        void close(String user, String connection) {
            connections.getOrDefault(user, List.of()).remove(connection);
        }

        @Override
        public synchronized int sendToUser(String userId, String frame) {
            List<String> mine = connections.getOrDefault(userId, List.of());
            mine.forEach(c -> received.get(c).add(frame));
            return mine.size();
        }

        @Override
        public synchronized boolean sendToConnection(String userId, String connectionId, String frame) {
            if (!connections.getOrDefault(userId, List.of()).contains(connectionId)) {
                return false;
            }
            received.get(connectionId).add(frame);
            return true;
        }

        @Override
        public boolean isConnected(String userId) {
            return !connections.getOrDefault(userId, List.of()).isEmpty();
        }

        synchronized List<Long> offsetsOf(String connection) {
            List<Long> offsets = new ArrayList<>();
            for (String frame : received.get(connection)) {
                JsonNode node = read(frame);
                if (node.has("offset")) {
                    offsets.add(node.get("offset").asLong());
                }
            }
            return offsets;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final Outlet outlet = new Outlet();

    private Broker broker(int historySize, Duration ttl, long maxBytes) {
        Broker broker = Broker.inMemoryBuilder().historySize(historySize).historyTtl(ttl)
                .maxHistoryBytes(maxBytes).clock(clock).build();
        broker.bind(outlet);
        return broker;
    }

    private Broker broker() {
        return broker(Broker.DEFAULT_HISTORY_SIZE, Broker.DEFAULT_HISTORY_TTL, Broker.DEFAULT_MAX_HISTORY_BYTES);
    }

    private void connect(Broker broker, String user, String connection) {
        outlet.open(user, connection);
        broker.connectionOpened(user, connection);
    }

    private void disconnect(Broker broker, String user, String connection) {
        outlet.close(user, connection);
        broker.connectionClosed(user, connection);
    }

    private static String event(int n) {
        return "{\"type\":\"agent_thinking\",\"data\":{\"n\":" + n + "}}";
    }

    private static JsonNode read(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }

    private static String epochOf(String frame) {
        return read(frame).get("epoch").asText();
    }

    @Test
    void stampAddsOffsetAndEpochAsTopLevelFields() {
        assertThat(Broker.stamp("{\"type\":\"x\",\"data\":{}}", 42, "k3f9"))
                .isEqualTo("{\"type\":\"x\",\"data\":{},\"offset\":42,\"epoch\":\"k3f9\"}");
        assertThat(Broker.stamp("{}", 1, "e")).isEqualTo("{\"offset\":1,\"epoch\":\"e\"}");
        assertThatThrownBy(() -> Broker.stamp("[1]", 1, "e")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A log whose next append fails as a full heap would (a huge frame, a new chunk). */
    static final class FailingLog extends HistoryLog {
        volatile boolean failNext;

        FailingLog() {
            super(Broker.DEFAULT_MAX_HISTORY_BYTES);
        }

        @Override
        long append(byte[] record) {
            failIfArmed();
            return super.append(record);
        }

        @Override
        long appendAscii(String ascii) {
            failIfArmed();
            return super.appendAscii(ascii);
        }

        private void failIfArmed() {
            if (failNext) {
                failNext = false;
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
        }
    }

    @Test
    void anEventThatFailsToBeKeptTakesNoOffsetAndLaterResumesReplayExactlyWhatWasMissed() {
        FailingLog log = new FailingLog();
        InMemoryBroker broker = new InMemoryBroker(Broker.inMemoryBuilder().clock(clock), log);
        broker.bind(outlet);
        connect(broker, "alice", "a1");
        for (int i = 1; i <= 3; i++) {
            broker.publish("alice", event(i));
        }
        log.failNext = true;
        assertThatThrownBy(() -> broker.publish("alice", event(99))).isInstanceOf(OutOfMemoryError.class);
        for (int i = 4; i <= 6; i++) {
            broker.publish("alice", event(i));
        }
        assertThat(outlet.offsetsOf("a1")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L); // no gap where it failed
        String epoch = epochOf(outlet.received.get("a1").get(0));

        connect(broker, "alice", "a2");
        ResumeResult result = broker.resume("alice", "a2", epoch, 2, RESULT);

        assertThat(result).isEqualTo(new ResumeResult(true, 4, epoch, 6));
        List<String> replayed = outlet.received.get("a2");
        assertThat(replayed.subList(0, 4)).containsExactlyElementsOf(outlet.received.get("a1").subList(2, 6));
        assertThat(replayed.subList(0, 4)).extracting(f -> read(f).get("data").get("n").asInt())
                .containsExactly(3, 4, 5, 6);
    }

    @Test
    void stampGivesValidJsonForAnObjectWithWhitespaceAndRefusesWhatIsNoObject() {
        for (String frame : List.of("{ }", "{\n}", "{\"a\":1} ", "  {\"a\":1}\r\n", "{\"a\":[1] \t}", "{\"a\":{}}")) {
            JsonNode stamped = read(Broker.stamp(frame, 7, "e1"));
            assertThat(stamped.get("offset").asLong()).as(frame).isEqualTo(7);
            assertThat(stamped.get("epoch").asText()).as(frame).isEqualTo("e1");
            assertThat(stamped.size()).as(frame).isEqualTo(read(frame).size() + 2);
        }
        for (String notAnObject : List.of("1}", "x{}", "\"}", "}", "{", "", "   ", "[1]", "{}x", "\"{}\"")) {
            assertThatThrownBy(() -> Broker.stamp(notAnObject, 1, "e")).as(notAnObject)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an event frame must be a JSON object");
        }
    }

    @Test
    void aFrameThatIsNotAJsonObjectIsRefusedWithoutTakingAnOffset() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        assertThatThrownBy(() -> broker.publish("alice", "[1]")).isInstanceOf(IllegalArgumentException.class);
        broker.publish("alice", event(1));
        assertThat(outlet.offsetsOf("a1")).containsExactly(1L);
    }

    @Test
    void eachEventGetsTheUsersNextOffsetAndTheStreamsEpoch() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        connect(broker, "alice", "a2");
        connect(broker, "bob", "b1");
        assertThat(broker.publish("alice", event(1))).isEqualTo(2);
        broker.publish("alice", event(2));
        broker.publish("bob", event(3));
        assertThat(outlet.offsetsOf("a1")).containsExactly(1L, 2L);
        assertThat(outlet.offsetsOf("a2")).containsExactly(1L, 2L);
        assertThat(outlet.offsetsOf("b1")).containsExactly(1L);
        assertThat(epochOf(outlet.received.get("a1").get(0))).matches("[a-z0-9]+")
                .isEqualTo(epochOf(outlet.received.get("a2").get(1)))
                .isNotEqualTo(epochOf(outlet.received.get("b1").get(0)));
    }

    @Test
    void aUserWhoWasNeverConnectedGetsNoStreamAndNoHistory() {
        Broker broker = broker();
        for (int i = 0; i < 1000; i++) {
            assertThat(broker.publish("stranger-" + i, event(i))).isZero();
        }
        assertThat(broker.statistics().streams()).isZero();
        assertThat(broker.statistics().historyEvents()).isZero();
        assertThat(broker.statistics().unrouted()).isEqualTo(1000);
    }

    @Test
    void aConnectionWithoutEventsCostsTheBrokerNothing() {
        Broker broker = broker();
        for (int i = 0; i < 1000; i++) {
            connect(broker, "user-" + i, "c-" + i);
        }
        assertThat(broker.statistics().streams()).isZero();
    }

    @Test
    void eventsForAUserWhoseLastConnectionJustLeftAreKeptForTheirResume() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        disconnect(broker, "alice", "a1"); // no event yet: the departure starts the stream
        assertThat(broker.publish("alice", event(1))).isZero();
        assertThat(broker.publish("alice", event(2))).isZero();
        connect(broker, "alice", "a2");
        ResumeResult probe = broker.resume("alice", "a2", "", 0, RESULT); // a fresh page learns the epoch
        assertThat(probe.recovered()).isFalse();
        assertThat(broker.resume("alice", "a2", probe.epoch(), 0, RESULT))
                .isEqualTo(new ResumeResult(true, 2, probe.epoch(), 2));
        assertThat(outlet.offsetsOf("a2")).containsExactly(1L, 2L);
    }

    @Test
    void resumeReplaysEveryEventAfterTheOffsetInOrderThenTheResult() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        for (int i = 1; i <= 5; i++) {
            broker.publish("alice", event(i));
        }
        String epoch = epochOf(outlet.received.get("a1").get(0));
        disconnect(broker, "alice", "a1");
        broker.publish("alice", event(6)); // while the tab is away: kept in history
        connect(broker, "alice", "a2");

        ResumeResult result = broker.resume("alice", "a2", epoch, 3, RESULT);

        assertThat(result).isEqualTo(new ResumeResult(true, 3, epoch, 6));
        assertThat(outlet.offsetsOf("a2")).containsExactly(4L, 5L, 6L);
        assertThat(outlet.received.get("a2")).last().asString().contains("\"recovered\":true");
        assertThat(broker.statistics().resumesRecovered()).isEqualTo(1);
        assertThat(broker.statistics().eventsReplayed()).isEqualTo(3);
    }

    @Test
    void resumeAtTheLatestOffsetRecoversWithNothingToReplay() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        broker.publish("alice", event(1));
        String epoch = epochOf(outlet.received.get("a1").get(0));
        assertThat(broker.resume("alice", "a1", epoch, 1, RESULT)).isEqualTo(new ResumeResult(true, 0, epoch, 1));
    }

    @Test
    void resumeWithAnotherEpochReplaysNothingAndSaysWhereTheStreamIs() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        broker.publish("alice", event(1));
        broker.publish("alice", event(2));
        String epoch = epochOf(outlet.received.get("a1").get(0));
        int before = outlet.received.get("a1").size();

        ResumeResult result = broker.resume("alice", "a1", "not-" + epoch, 0, RESULT);

        assertThat(result).isEqualTo(new ResumeResult(false, 0, epoch, 2));
        assertThat(outlet.received.get("a1")).hasSize(before + 1);
        assertThat(broker.statistics().resumesNotRecovered()).isEqualTo(1);
    }

    @Test
    void resumeAheadOfTheStreamIsNotRecovered() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        broker.publish("alice", event(1));
        String epoch = epochOf(outlet.received.get("a1").get(0));
        assertThat(broker.resume("alice", "a1", epoch, 7, RESULT).recovered()).isFalse();
    }

    @Test
    void resumeIntoHistoryTrimmedBySizeIsNotRecoveredButJustInsideIs() {
        Broker broker = broker(3, Broker.DEFAULT_HISTORY_TTL, Broker.DEFAULT_MAX_HISTORY_BYTES);
        connect(broker, "alice", "a1");
        for (int i = 1; i <= 6; i++) {
            broker.publish("alice", event(i)); // history keeps 4, 5, 6
        }
        String epoch = epochOf(outlet.received.get("a1").get(0));
        assertThat(broker.resume("alice", "a1", epoch, 2, RESULT)).isEqualTo(new ResumeResult(false, 0, epoch, 6));
        assertThat(broker.resume("alice", "a1", epoch, 3, RESULT)).isEqualTo(new ResumeResult(true, 3, epoch, 6));
    }

    @Test
    void aUsersHistoryIsKeptForTheTtlAfterTheLastConnectionLeftThenDropped() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        broker.publish("alice", event(1));
        String epoch = epochOf(outlet.received.get("a1").get(0));
        disconnect(broker, "alice", "a1");
        clock.advance(Duration.ofSeconds(119));
        broker.publish("alice", event(2));
        assertThat(broker.statistics().streams()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        broker.publish("bob", event(3)); // any call does the upkeep
        assertThat(broker.statistics().streams()).isZero();
        assertThat(broker.statistics().historyEvents()).isZero();

        connect(broker, "alice", "a2");
        ResumeResult result = broker.resume("alice", "a2", epoch, 1, RESULT);
        assertThat(result.recovered()).isFalse();
        assertThat(result.epoch()).isNotEqualTo(epoch); // a new stream: a new epoch, offsets from 1
        assertThat(result.offset()).isZero();
    }

    @Test
    void aReconnectWithinTheTtlKeepsTheStream() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        broker.publish("alice", event(1));
        String epoch = epochOf(outlet.received.get("a1").get(0));
        disconnect(broker, "alice", "a1");
        clock.advance(Duration.ofSeconds(100));
        connect(broker, "alice", "a2");
        clock.advance(Duration.ofSeconds(100)); // 200 s after a1 left, but a2 is connected: the stream stays
        broker.publish("alice", event(2));
        assertThat(broker.resume("alice", "a2", epoch, 0, RESULT)).isEqualTo(new ResumeResult(true, 2, epoch, 2));
    }

    @Test
    void aUserWhoReconnectsOverAndOverHoldsOneIdleEntryAndIsDroppedTheTtlAfterTheLastDeparture() {
        Broker broker = broker();
        InMemoryBroker inMemory = (InMemoryBroker) broker;
        connect(broker, "alice", "a1");
        broker.publish("alice", event(1));
        disconnect(broker, "alice", "a1");
        for (int i = 0; i < 1_000; i++) { // 100 s of a flapping network: 1,000 departures
            clock.advance(Duration.ofMillis(100));
            connect(broker, "alice", "a" + (i + 2));
            disconnect(broker, "alice", "a" + (i + 2));
        }
        assertThat(inMemory.idleEntries()).isOne(); // not one per departure: memory does not grow with churn

        clock.advance(Duration.ofSeconds(21)); // 121 s after the first departure, 21 s after the last
        broker.publish("bob", event(2)); // any call does the upkeep
        assertThat(broker.statistics().streams()).isOne();
        assertThat(inMemory.idleEntries()).isOne();

        clock.advance(Duration.ofSeconds(100)); // 121 s after the last departure
        broker.publish("bob", event(3));
        assertThat(broker.statistics().streams()).isZero();
        assertThat(inMemory.idleEntries()).isZero();
    }

    @Test
    void aConnectedUserWithNoEventYetLearnsTheEpochThatItsFirstEventCarries() {
        Broker broker = broker();
        connect(broker, "alice", "a1");

        ResumeResult result = broker.resume("alice", "a1", "", 0, RESULT);
        broker.publish("alice", event(1));

        assertThat(result.recovered()).isFalse(); // "" is no stream's epoch
        assertThat(result.epoch()).isNotEmpty();
        assertThat(result.offset()).isZero();
        assertThat(epochOf(outlet.received.get("a1").get(1))).isEqualTo(result.epoch());
        assertThat(outlet.offsetsOf("a1")).containsExactly(1L);
        assertThat(broker.resume("alice", "a1", result.epoch(), 0, RESULT)).isEqualTo(new ResumeResult(true, 1, result.epoch(), 1));
    }

    @Test
    void aStrangersResumeStartsNoStream() {
        Broker broker = broker();

        assertThat(broker.resume("mallory", "m1", "", 0, RESULT)).isEqualTo(new ResumeResult(false, 0, "", 0));
        assertThat(broker.statistics().streams()).isZero();
    }

    @Test
    void aSweepForgetsTheEntriesOfEventsTheLogWroteOverAndShrinksQuietUsersIndexes() {
        int users = 1_000;
        long bound = 64 * 1024;
        Broker broker = broker(100, Broker.DEFAULT_HISTORY_TTL, bound);
        InMemoryBroker inMemory = (InMemoryBroker) broker;
        for (int u = 0; u < users; u++) { // one user after another: the first ones' events are long gone
            connect(broker, "u" + u, "c" + u);
            for (int i = 0; i < 100; i++) {
                broker.publish("u" + u, event(i));
            }
        }
        String lastEpoch = epochOf(outlet.received.get("c" + (users - 1)).get(0));

        inMemory.sweepEvicted(users);

        long smallestRecord = event(0).length() + 20; // a stamp adds more than 20 chars
        assertThat(broker.statistics().historyEvents()).isPositive().isLessThanOrEqualTo(bound / smallestRecord);
        assertThat(inMemory.indexSlots()).isLessThanOrEqualTo(4L * users + 100L * (bound / smallestRecord / 100 + 2));
        assertThat(broker.resume("u0", "c0", epochOf(outlet.received.get("c0").get(0)), 0, RESULT).recovered()).isFalse();
        assertThat(broker.resume("u" + (users - 1), "c" + (users - 1), lastEpoch, 0, RESULT))
                .isEqualTo(new ResumeResult(true, 100, lastEpoch, 100)); // the sweep kept a whole history whole
        int kept = 0;
        for (int u = 0; u < users; u++) { // every stream's count is what a resume can still replay
            long held = inMemory.heldEventsOf("u" + u);
            kept += held;
            String epoch = epochOf(outlet.received.get("c" + u).get(0));
            assertThat(broker.resume("u" + u, "c" + u, epoch, 100 - held, RESULT).replayed()).isEqualTo((int) held);
        }
        assertThat(broker.statistics().historyEvents()).isEqualTo(kept);
    }

    @Test
    void publishingToOthersAloneShrinksTheIndexesOfUsersWhoseEventsWereWrittenOver() {
        int users = 1_000;
        long bound = 64 * 1024;
        Broker broker = broker(100, Broker.DEFAULT_HISTORY_TTL, bound);
        InMemoryBroker inMemory = (InMemoryBroker) broker;
        for (int u = 0; u < users; u++) {
            connect(broker, "u" + u, "c" + u);
            for (int i = 0; i < 100; i++) {
                broker.publish("u" + u, event(i));
            }
        }
        connect(broker, "hot", "h1");
        // No explicit sweep: 20,000 publishes sweep about 2,500 streams (one in 64 publishes sweeps 8),
        // well over the 1,000 there are; fewer than 125 sweeps has a chance far below 1e-20.
        for (int i = 0; i < 20_000; i++) {
            broker.publish("hot", event(i));
        }

        long smallestRecord = event(0).length() + 20;
        assertThat(broker.statistics().historyEvents()).isLessThanOrEqualTo(bound / smallestRecord);
        assertThat(inMemory.indexSlots()).isLessThanOrEqualTo(4L * users + 100L * (bound / smallestRecord / 100 + 2));
    }

    @Test
    void resumeNeverReplaysAnotherUsersStream() {
        Broker broker = broker();
        connect(broker, "alice", "a1");
        connect(broker, "bob", "b1");
        broker.publish("bob", event(1));
        broker.publish("bob", event(2));
        String bobsEpoch = epochOf(outlet.received.get("b1").get(0));
        int before = outlet.received.get("a1").size();

        ResumeResult result = broker.resume("alice", "a1", bobsEpoch, 0, RESULT);

        assertThat(result.recovered()).isFalse();
        assertThat(outlet.received.get("a1")).hasSize(before + 1);
        assertThat(outlet.received.get("a1")).noneMatch(f -> f.contains("agent_thinking"));
    }

    /** @return the most bytes one event of {@code frame} takes in the log: stamped with a two-digit offset and the longest epoch */
    private static long bytesPerEvent(String frame) {
        return Broker.stamp(frame, 99, "x".repeat(13)).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void theMemoryBoundEvictsTheOldestEventsOfAllUsersFirst() {
        String frame = event(0);
        long perEvent = bytesPerEvent(frame);
        Broker broker = broker(100, Broker.DEFAULT_HISTORY_TTL, 10 * perEvent);
        connect(broker, "alice", "a1");
        connect(broker, "bob", "b1");
        for (int i = 0; i < 5; i++) {
            broker.publish("alice", frame);
        }
        String aliceEpoch = epochOf(outlet.received.get("a1").get(0));
        for (int i = 0; i < 10; i++) {
            broker.publish("bob", frame);
        }
        String bobEpoch = epochOf(outlet.received.get("b1").get(0));
        // alice's events were the oldest: gone first; bob's ten still fit
        assertThat(broker.resume("alice", "a1", aliceEpoch, 0, RESULT).recovered()).isFalse();
        ResumeResult bob = broker.resume("bob", "b1", bobEpoch, 0, RESULT);
        assertThat(bob.recovered()).isTrue();
        assertThat(bob.replayed()).isEqualTo(10);
        BrokerStatistics stats = broker.statistics();
        assertThat(stats.historyBytes()).isLessThanOrEqualTo(10 * perEvent);
        assertThat(stats.eventsEvicted()).isEqualTo(5);
        assertThat(stats.historyEvents()).isEqualTo(10);
    }

    @Test
    void aReplayedEventIsTheFrameThatWasSentEvenWhenItCrossedTheEndOfTheLog() {
        String frame = "{\"type\":\"agent_thinking\",\"data\":{\"text\":\"\u00e9\u00e8 \u65e5\u672c \uD83D\uDE00\"}}";
        long perEvent = bytesPerEvent(frame);
        Broker broker = broker(3, Broker.DEFAULT_HISTORY_TTL, 3 * perEvent + perEvent / 2);
        connect(broker, "alice", "a1");
        for (int i = 0; i < 20; i++) {
            broker.publish("alice", frame);
        }
        List<String> sent = List.copyOf(outlet.received.get("a1"));
        String epoch = epochOf(sent.get(0));
        outlet.received.get("a1").clear();
        ResumeResult result = broker.resume("alice", "a1", epoch, 17, RESULT);
        assertThat(result.recovered()).isTrue();
        assertThat(outlet.received.get("a1")).hasSize(4).startsWith(sent.get(17), sent.get(18), sent.get(19));
    }

    @Test
    void aFrameLargerThanTheWholeLogIsDeliveredButCannotBeReplayed() {
        Broker broker = broker(100, Broker.DEFAULT_HISTORY_TTL, 64);
        connect(broker, "alice", "a1");
        String big = "{\"type\":\"agent_thinking\",\"data\":{\"text\":\"" + "x".repeat(100) + "\"}}";
        assertThat(broker.publish("alice", big)).isEqualTo(1);
        String epoch = epochOf(outlet.received.get("a1").get(0));
        assertThat(broker.resume("alice", "a1", epoch, 0, RESULT).recovered()).isFalse();
        assertThat(broker.resume("alice", "a1", epoch, 1, RESULT).recovered()).isTrue();
        assertThat(broker.statistics().eventsEvicted()).isEqualTo(1);
    }

    @Test
    void oneBusyUserKeepsOnlyItsLastEventsAndLeavesAnotherUsersHistoryWhole() {
        Broker broker = broker(10, Broker.DEFAULT_HISTORY_TTL, Broker.DEFAULT_MAX_HISTORY_BYTES);
        connect(broker, "alice", "a1");
        connect(broker, "bob", "b1");
        broker.publish("bob", event(0)); // an old event at the start of the log
        for (int i = 0; i < 100_000; i++) {
            broker.publish("alice", event(i));
        }
        assertThat(((InMemoryBroker) broker).heldEventsOf("alice")).isEqualTo(10);
        assertThat(broker.statistics().historyEvents()).isEqualTo(11);
        String bobEpoch = epochOf(outlet.received.get("b1").get(0));
        assertThat(broker.resume("bob", "b1", bobEpoch, 0, RESULT).replayed()).isEqualTo(1);
    }

    @Test
    void aBrokerServesOneRouter() {
        Broker broker = broker();
        assertThatThrownBy(() -> broker.bind(outlet)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderRejectsBadValuesWithTheValueInTheMessage() {
        assertThatThrownBy(() -> Broker.inMemoryBuilder().historySize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("historySize must be > 0 but was 0");
        assertThatThrownBy(() -> Broker.inMemoryBuilder().historyTtl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("historyTtl must be > 0 but was PT0S");
        assertThatThrownBy(() -> Broker.inMemoryBuilder().maxHistoryBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxHistoryBytes must be > 0 but was -1");
    }

    @Test
    void offsetsStayConsecutivePerUserUnderEightEmittingThreads() throws Exception {
        Broker broker = broker(100_000, Broker.DEFAULT_HISTORY_TTL, Broker.DEFAULT_MAX_HISTORY_BYTES);
        String[] users = {"u0", "u1", "u2", "u3"};
        for (String u : users) {
            connect(broker, u, u + "-c1");
            connect(broker, u, u + "-c2");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 5_000; i++) {
                    broker.publish(users[i % users.length], event(i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (String u : users) {
            for (String c : List.of(u + "-c1", u + "-c2")) {
                List<Long> offsets = outlet.offsetsOf(c);
                assertThat(offsets).hasSize(10_000);
                for (int i = 0; i < offsets.size(); i++) {
                    assertThat(offsets.get(i)).isEqualTo(i + 1L);
                }
            }
        }
    }

    @Test
    void aResumeRacingWithLiveEventsLeavesNoGapAndNoDuplicate() throws Exception {
        Broker broker = broker(100_000, Broker.DEFAULT_HISTORY_TTL, Broker.DEFAULT_MAX_HISTORY_BYTES);
        connect(broker, "alice", "a1");
        for (int i = 0; i < 50; i++) {
            broker.publish("alice", event(i));
        }
        String epoch = epochOf(outlet.received.get("a1").get(0));
        for (int round = 0; round < 50; round++) {
            String fresh = "a-" + round;
            CountDownLatch go = new CountDownLatch(1);
            Thread emitter = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200; i++) {
                    broker.publish("alice", event(i));
                }
            });
            emitter.start();
            // The new connection registers, then resumes from offset 10 while events keep coming.
            long resumeFrom = 10;
            go.countDown();
            connect(broker, "alice", fresh);
            ResumeResult result = broker.resume("alice", fresh, epoch, resumeFrom, RESULT);
            emitter.join();
            assertThat(result.recovered()).isTrue();
            // Live events delivered between the open and the resume come first; from the resume on,
            // the connection sees every offset after the last one it had, exactly once, in order.
            List<Long> offsets = outlet.offsetsOf(fresh);
            int resultAt = outlet.received.get(fresh).indexOf(outlet.received.get(fresh).stream()
                    .filter(f -> f.contains("resume_result")).findFirst().orElseThrow());
            int liveBefore = (int) outlet.received.get(fresh).subList(0, resultAt).stream()
                    .filter(f -> f.contains("\"offset\"")).count() - result.replayed();
            List<Long> fromResume = offsets.subList(liveBefore, offsets.size());
            assertThat(fromResume.get(0)).isEqualTo(resumeFrom + 1);
            for (int i = 1; i < fromResume.size(); i++) {
                assertThat(fromResume.get(i)).isEqualTo(fromResume.get(i - 1) + 1);
            }
            disconnect(broker, "alice", fresh);
        }
    }

    @Test
    void evictionRacingWithPublishesAndResumesKeepsEveryReplayWholeAndTheFiguresExact() throws Exception {
        String frame = event(0);
        long perEvent = bytesPerEvent(frame);
        Broker broker = broker(50, Broker.DEFAULT_HISTORY_TTL, 200 * perEvent);
        int users = 16;
        for (int u = 0; u < users; u++) {
            connect(broker, "u" + u, "c" + u);
        }
        String[] epochs = new String[users];
        for (int u = 0; u < users; u++) {
            broker.publish("u" + u, frame);
            epochs[u] = epochOf(outlet.received.get("c" + u).get(0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int me = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    int u = (i * 7 + me) % users;
                    if (i % 50 == me) {
                        ResumeResult r = broker.resume("u" + u, "c" + u, epochs[u], Math.max(0, i / 10), RESULT);
                        assertThat(r.replayed()).isLessThanOrEqualTo(50);
                    } else {
                        broker.publish("u" + u, frame);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        BrokerStatistics stats = broker.statistics();
        assertThat(stats.historyBytes()).isLessThanOrEqualTo(200 * perEvent + 6 * perEvent);
        assertThat(stats.eventsEvicted()).isPositive();
        // The figures count each event once: what is held is what the streams' indexes hold.
        long live = 0;
        for (String u : ((InMemoryBroker) broker).userIds()) {
            live += ((InMemoryBroker) broker).heldEventsOf(u);
        }
        assertThat(stats.historyEvents()).isEqualTo(live);
    }
}
