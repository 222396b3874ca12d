package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.Admission;
import io.wsrouter.core.DeliveryStatistics;
import io.wsrouter.core.RemovalReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Churn over a small id space with asynchronous stages: several threads register, emit and
 * unregister the same few ids for three users while sends complete on other threads after a short
 * random delay (some at once, some failing), with a queue of 8 frames, so connections are removed by
 * force (overflow, failing sends) while their sends are in flight and their ids are presented again
 * at once. A recording manager counts, per connection id, the sends that started while another was
 * in flight (overlaps: the pool promises at most one per id, across removals and re-registrations
 * too) and the frames handed over out of the order in which they were accepted (reorders).
 *
 * <p>Runs {@value #DEFAULT_MILLIS} ms in {@code mvn verify}; {@code -Dwsrouter.churn.millis=20000}
 * runs it longer. The figures are printed on standard output.
 */
class ChurnStressTest {

    static final long DEFAULT_MILLIS = 2_500;
    private static final String[] USERS = {"u0", "u1", "u2"};
    private static final int IDS = 6;
    private static final int THREADS = 4;

    /**
     * Frames sent with {@code sendToConnection} are {@code "<id>:<seq>"}, the sequence number taken
     * under the id's lock in this test together with the call, so the order of acceptance of one id
     * is the order of the numbers; fan-out frames are {@code "u"} (counted for overlaps only).
     */
    static final class ChurnManager implements WebSocketManager {
        final ScheduledExecutorService completer = Executors.newScheduledThreadPool(2);
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> lastSeq = new ConcurrentHashMap<>();
        final AtomicInteger pending = new AtomicInteger();
        final LongAdder sends = new LongAdder();
        final LongAdder overlaps = new LongAdder();
        final LongAdder reorders = new LongAdder();

        @Override
        public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
            sends.increment();
            AtomicInteger flight = inFlight.computeIfAbsent(connectionId, k -> new AtomicInteger());
            if (flight.incrementAndGet() > 1) {
                overlaps.increment();
            }
            int colon = frame.indexOf(':');
            if (colon > 0) {
                long seq = Long.parseLong(frame.substring(colon + 1));
                long previous = lastSeq.computeIfAbsent(connectionId, k -> new AtomicLong(-1)).getAndSet(seq);
                if (seq < previous) {
                    reorders.increment();
                }
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int roll = random.nextInt(100);
            if (roll < 15) {
                flight.decrementAndGet();
                return CompletableFuture.completedFuture(null);
            }
            if (roll < 20) {
                flight.decrementAndGet();
                return CompletableFuture.failedFuture(new IllegalStateException("reset"));
            }
            CompletableFuture<Void> stage = new CompletableFuture<>();
            boolean fail = roll < 25;
            pending.incrementAndGet();
            completer.schedule(() -> {
                flight.decrementAndGet();   // before the pool's callback can start the next send
                pending.decrementAndGet();
                if (fail) {
                    stage.completeExceptionally(new IllegalStateException("broken pipe"));
                } else {
                    stage.complete(null);
                }
            }, random.nextLong(20, 400), TimeUnit.MICROSECONDS);
            return stage;
        }
    }

    @Test
    void forcedRemovalsUnderChurnNeverLetTwoSendsOverlapOnOneIdNorReorderItsFrames() throws Exception {
        long millis = Long.getLong("wsrouter.churn.millis", DEFAULT_MILLIS);
        ChurnManager manager = new ChurnManager();
        Map<RemovalReason, LongAdder> removals = new EnumMap<>(RemovalReason.class);
        for (RemovalReason r : RemovalReason.values()) {
            removals.put(r, new LongAdder());
        }
        LongAdder registrations = new LongAdder();
        LongAdder refusals = new LongAdder();
        LongAdder accepted = new LongAdder();
        Object[] idLocks = new Object[IDS];
        long[] nextSeq = new long[IDS];
        for (int i = 0; i < IDS; i++) {
            idLocks[i] = new Object();
        }
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        ConnectionPool pool = ConnectionPool.builder(manager)
                .maxQueuedFrames(8).maxConsecutiveFailures(2).maxConnectionsPerUser(IDS).build();
        pool.addListener((user, id, reason) -> removals.get(reason).increment());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            running.add(workers.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    int id = random.nextInt(IDS);
                    String conn = "c" + id;
                    String user = USERS[random.nextInt(USERS.length)];
                    int roll = random.nextInt(100);
                    if (roll < 30) {
                        Admission a = pool.admit(user, conn);
                        if (a == Admission.REGISTERED) {
                            registrations.increment();
                        } else if (a == Admission.FORBIDDEN) {
                            refusals.increment();
                        }
                    } else if (roll < 38) {
                        pool.unregister(conn);
                    } else if (roll < 42) {
                        pool.unregister(user, conn);
                    } else if (roll < 90) {
                        // A burst: often more than the queue of 8 holds while a send is in flight.
                        int burst = 1 + random.nextInt(10);
                        synchronized (idLocks[id]) {
                            String owner = pool.ownerOf(conn).orElse(user);
                            for (int i = 0; i < burst; i++) {
                                if (pool.sendToConnection(owner, conn, conn + ":" + nextSeq[id]++)) {
                                    accepted.increment();
                                }
                            }
                        }
                    } else {
                        accepted.add(pool.sendToUser(user, "u"));
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get(millis + 60_000, TimeUnit.MILLISECONDS);
        }
        workers.shutdown();
        // Let the stages in flight complete (each completion may hand the next queued frame over).
        for (int i = 0; i < 3_000 && (manager.pending.get() > 0 || pool.deliveryStatistics().framesQueued() > 0); i++) {
            Thread.sleep(10);
        }
        pool.close();
        manager.completer.shutdown();
        assertThat(manager.completer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        DeliveryStatistics stats = pool.deliveryStatistics();
        System.out.printf("churn %d ms: sends=%d overlaps=%d reorders=%d registrations=%d refusals=%d removals=%s"
                        + " accepted=%d sent=%d failed=%d dropped=%d%n",
                millis, manager.sends.sum(), manager.overlaps.sum(), manager.reorders.sum(), registrations.sum(),
                refusals.sum(), removals, accepted.sum(), stats.framesSent(), stats.sendFailures(), stats.framesDropped());

        // The run really exercised forced removals and re-registrations.
        assertThat(removals.get(RemovalReason.SLOW).sum()).isPositive();
        assertThat(removals.get(RemovalReason.FAILING).sum()).isPositive();
        assertThat(removals.get(RemovalReason.UNREGISTERED).sum()).isPositive();
        assertThat(registrations.sum()).isGreaterThan(IDS);
        assertThat(manager.overlaps.sum()).as("sends that overlapped another on the same id").isZero();
        assertThat(manager.reorders.sum()).as("frames handed over out of order").isZero();
        // Every accepted frame ended as sent, failed or dropped (a frame refused by an overflow is
        // counted as dropped too, without having been accepted).
        assertThat(stats.framesQueued()).isZero();
        assertThat(stats.framesSent() + stats.sendFailures() + stats.framesDropped()).isGreaterThanOrEqualTo(accepted.sum());
    }
}
