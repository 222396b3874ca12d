package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class HistoryLogTest {

    private static byte[] record(int n, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (n * 31 + i);
        }
        return bytes;
    }

    @Test
    void recordsThatCrossChunksAndTheEndOfTheRingReadBackWhole() {
        HistoryLog log = new HistoryLog(100, 16); // chunks of 16, 16, ..., 4
        List<Long> positions = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            positions.add(log.append(record(n, 7 + n % 5)));
        }
        // the last 100 bytes are whole; everything before them was written over
        for (int n = 0; n < 30; n++) {
            long pos = positions.get(n);
            byte[] read = log.read(pos, 7 + n % 5);
            if (log.intact(pos)) {
                assertThat(read).as("record %d", n).isEqualTo(record(n, 7 + n % 5));
                assertThat(log.readString(pos, 7 + n % 5)).isEqualTo(new String(record(n, 7 + n % 5), StandardCharsets.UTF_8));
            } else {
                assertThat(n).as("only old records are written over").isLessThan(20);
            }
        }
        assertThat(log.intact(positions.get(29))).isTrue();
        assertThat(log.intact(positions.get(0))).isFalse();
        assertThat(log.bytesInUse()).isEqualTo(100);
    }

    @Test
    void asciiRecordsAppendedFromTheirStringsReadBackWholeAcrossChunksAndTheRingsEnd() {
        HistoryLog log = new HistoryLog(100, 16);
        List<Long> positions = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            positions.add(n % 2 == 0 ? log.appendAscii(ascii(n)) : log.append(ascii(n).getBytes(StandardCharsets.UTF_8)));
        }
        int whole = 0;
        for (int n = 0; n < 30; n++) {
            long pos = positions.get(n);
            String read = log.readString(pos, ascii(n).length());
            if (log.intact(pos)) {
                assertThat(read).as("record %d", n).isEqualTo(ascii(n));
                whole++;
            }
        }
        assertThat(whole).isGreaterThan(5);
        assertThat(log.appendAscii("x".repeat(101))).isEqualTo(-1);
    }

    private static String ascii(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 7 + n % 5; i++) {
            text.append((char) ('!' + (n * 31 + i) % 94));
        }
        return text.toString();
    }

    /**
     * The race the seqlock check alone misses: a writer reserves, stalls while the ring goes a whole
     * lap, then copies its old record over bytes a newer record owns (and that already validated). A
     * resume would then replay the old bytes, possibly another user's, as the newer event.
     */
    @Test
    void aWriterThatStalledForALapDoesNotWriteOverTheNewerRecords() {
        HistoryLog log = new HistoryLog(100, 16);
        byte[] stale = record(99, 10);
        long late = log.reserve(stale.length);           // reserved, then preempted
        List<Long> positions = new ArrayList<>();
        for (int n = 0; n < 15; n++) {
            positions.add(log.append(record(n, 10)));    // 150 bytes: the ring laps the stalled record
        }
        log.write(late, stale, null);                     // the stalled copy lands at last

        assertThat(log.intact(late)).isFalse();
        int whole = 0;
        for (int n = 0; n < 15; n++) {
            long pos = positions.get(n);
            byte[] read = log.read(pos, 10);
            if (log.intact(pos)) {
                assertThat(read).as("record %d at %d", n, pos).isEqualTo(record(n, 10));
                whole++;
            }
        }
        assertThat(whole).isEqualTo(10); // reserved ends at 160: the records at 60..150 are whole
    }

    @Test
    void aRecordLargerThanTheLogIsNotKept() {
        HistoryLog log = new HistoryLog(10, 4);
        assertThat(log.append(new byte[11])).isEqualTo(-1);
        assertThat(log.intact(-1)).isFalse();
        assertThat(log.bytesInUse()).isZero();
        assertThat(log.append(new byte[10])).isZero();
        assertThat(log.intact(0)).isTrue();
    }

    @Test
    void aQuietLogAllocatesOnlyTheChunksItWrote() throws Exception {
        HistoryLog log = new HistoryLog(64L << 20);
        log.append(new byte[100]);
        var field = HistoryLog.class.getDeclaredField("chunks");
        field.setAccessible(true);
        AtomicReferenceArray<?> chunks = (AtomicReferenceArray<?>) field.get(log);
        int allocated = 0;
        for (int i = 0; i < chunks.length(); i++) {
            allocated += chunks.get(i) == null ? 0 : 1;
        }
        assertThat(chunks.length()).isEqualTo(64);
        assertThat(allocated).isEqualTo(1);
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new HistoryLog(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be > 0 but was 0");
    }

    /**
     * Four writers fill a small ring over and over while two readers read records back: a record that
     * validates is always exactly what was written (never torn by a writer going round), and the
     * readers do see both outcomes.
     */
    @Test
    void aRecordThatValidatesIsNeverTornByWritersGoingRound() throws Exception {
        HistoryLog log = new HistoryLog(4096, 256);
        int writers = 4;
        int perWriter = 200_000;
        // the last record appended by each writer: position, sequence, length
        AtomicLong[] last = new AtomicLong[writers];
        for (int w = 0; w < writers; w++) {
            last[w] = new AtomicLong(-1);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        List<Future<long[]>> futures = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        for (int w = 0; w < writers; w++) {
            int me = w;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    int n = me * perWriter + i;
                    long pos = log.append(text(n).getBytes(StandardCharsets.UTF_8));
                    synchronized (last[me]) {
                        last[me].set(pos);
                        lastSeq[me] = n;
                    }
                }
                return new long[0];
            }));
        }
        for (int r = 0; r < 2; r++) {
            futures.add(pool.submit(() -> {
                long whole = 0;
                long overwritten = 0;
                while (!done.get()) {
                    for (int w = 0; w < writers; w++) {
                        long pos;
                        int n;
                        synchronized (last[w]) {
                            pos = last[w].get();
                            n = lastSeq[w];
                        }
                        if (pos < 0) {
                            continue;
                        }
                        String expected = text(n);
                        byte[] read = log.read(pos, expected.length());
                        String decoded = log.readString(pos, expected.length());
                        if (log.intact(pos)) {
                            assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo(expected);
                            assertThat(decoded).isEqualTo(expected);
                            whole++;
                        } else {
                            overwritten++;
                        }
                    }
                }
                return new long[] {whole, overwritten};
            }));
        }
        for (int w = 0; w < writers; w++) {
            futures.get(w).get(60, TimeUnit.SECONDS);
        }
        done.set(true);
        long whole = 0;
        for (int r = writers; r < futures.size(); r++) {
            whole += futures.get(r).get(60, TimeUnit.SECONDS)[0];
        }
        pool.shutdown();
        assertThat(whole).isPositive();
    }

    private final int[] lastSeq = new int[4];

    private static String text(int n) {
        return "{\"n\":" + n + ",\"pad\":\"" + "abcdefghij".repeat(1 + n % 7) + "\"}";
    }
}
