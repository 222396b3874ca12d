package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.Admission;
import io.wsrouter.core.DeliveryStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeliveryTest {

    private final RecordingManager manager = new RecordingManager();
    private final List<String> closedEvents = new CopyOnWriteArrayList<>();
    private final List<ConnectionPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(ConnectionPool::close);
    }

    private ConnectionPool pool(ConnectionPool.Builder builder) {
        ConnectionPool pool = builder.build();
        pool.addListener((user, conn, reason) -> closedEvents.add(user + "/" + conn));
        pools.add(pool);
        return pool;
    }

    private static String frame(int n) {
        return "{\"n\":" + n + "}";
    }

    private static List<String> frames(int from, int toExclusive) {
        List<String> list = new ArrayList<>();
        for (int n = from; n < toExclusive; n++) {
            list.add(frame(n));
        }
        return list;
    }

    // ------------------------------------------------------------------ order

    @ParameterizedTest(name = "asynchronous completion: {0}")
    @ValueSource(booleans = {false, true})
    void framesToOneConnectionLeaveInEmitOrderWithFourThreadsEmitting(boolean async) throws Exception {
        ExecutorService completer = Executors.newFixedThreadPool(2);
        ExecutorService emitters = Executors.newFixedThreadPool(4);
        try {
            if (async) {
                for (String c : List.of("c1", "c2")) {
                    manager.on(c, (id, f) -> CompletableFuture.runAsync(() -> { }, completer));
                }
            }
            ConnectionPool pool = pool(ConnectionPool.builder(manager).maxQueuedFrames(100_000).maxQueuedBytes(1L << 30));
            pool.admit("alice", "c1");
            pool.admit("alice", "c2");
            int perThread = 5_000;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(emitters.submit(() -> {
                    start.await();
                    for (int n = 0; n < perThread; n++) {
                        assertThat(pool.sendToUser("alice", thread + ":" + n)).isEqualTo(2);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            awaitSent(pool, 2L * 4 * perThread);
            for (String c : List.of("c1", "c2")) {
                int[] next = new int[4];
                for (String f : manager.framesOf(c)) {
                    String[] parts = f.split(":");
                    int thread = Integer.parseInt(parts[0]);
                    assertThat(Integer.parseInt(parts[1])).as("frame of thread %d on %s", thread, c).isEqualTo(next[thread]);
                    next[thread]++;
                }
                assertThat(next).containsOnly(perThread);
            }
            assertThat(manager.overlaps()).isZero();
            DeliveryStatistics stats = pool.deliveryStatistics();
            assertThat(stats.framesSent()).isEqualTo(2L * 4 * perThread);
            assertThat(stats.framesDropped()).isZero();
            assertThat(stats.framesQueued()).isZero();
        } finally {
            emitters.shutdownNow();
            completer.shutdownNow();
        }
    }

    @Test
    void aSynchronousManagerDrainsALongQueueInALoopNotByRecursion() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        manager.on("c1", (id, f) -> calls.getAndIncrement() == 0 ? first : CompletableFuture.completedFuture(null));
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxQueuedFrames(200_000).maxQueuedBytes(1L << 30));
        pool.admit("alice", "c1");
        int total = 100_001;
        for (int n = 0; n < total; n++) {
            assertThat(pool.sendToConnection("alice", "c1", frame(n))).isTrue();
        }
        assertThat(pool.deliveryStatistics().framesQueued()).isEqualTo(total - 1);

        first.complete(null);   // this thread now drains 100,000 synchronously completing sends

        assertThat(manager.framesOf("c1")).isEqualTo(frames(0, total));
        assertThat(pool.deliveryStatistics().framesSent()).isEqualTo(total);
        assertThat(pool.deliveryStatistics().framesQueued()).isZero();
    }

    // ------------------------------------------------------------------ bounds

    @Test
    void aNeverCompletingConnectionDoesNotDelayOthersAndIsClosedAtTheBound() throws Exception {
        manager.on("stuck", (id, f) -> new CompletableFuture<>());
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxQueuedFrames(10));
        pool.admit("alice", "stuck");
        pool.admit("alice", "ok");
        pool.admit("bob", "bob-1");

        List<Integer> accepted = new CopyOnWriteArrayList<>();
        CountDownLatch emitted = new CountDownLatch(1);
        Thread emitter = new Thread(() -> {
            for (int n = 0; n < 20; n++) {
                accepted.add(pool.sendToUser("alice", frame(n)));
                pool.sendToUser("bob", frame(n));
            }
            emitted.countDown();
        });
        emitter.start();
        assertThat(emitted.await(30, TimeUnit.SECONDS)).as("the emitting thread never waits for a send").isTrue();

        // 1 in flight + 10 queued; the 12th frame overflows and closes the connection.
        assertThat(accepted.subList(0, 11)).containsOnly(2);
        assertThat(accepted.subList(11, 20)).containsOnly(1);
        assertThat(manager.framesOf("ok")).isEqualTo(frames(0, 20));
        assertThat(manager.framesOf("bob-1")).isEqualTo(frames(0, 20));
        assertThat(manager.framesOf("stuck")).containsExactly(frame(0));
        assertThat(pool.connectionsOf("alice")).containsExactly("ok");
        assertThat(closedEvents).containsExactly("alice/stuck");
        DeliveryStatistics stats = pool.deliveryStatistics();
        assertThat(stats.connectionsClosedSlow()).isEqualTo(1);
        assertThat(stats.framesDropped()).isEqualTo(11);   // the 10 queued + the one that overflowed
        assertThat(stats.framesSent()).isEqualTo(40);
        assertThat(stats.framesQueued()).isZero();
    }

    @Test
    void dropOldestKeepsTheNewestFramesAndCountsTheDroppedOnes() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        manager.on("c1", (id, f) -> calls.getAndIncrement() == 0 ? first : CompletableFuture.completedFuture(null));
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxQueuedFrames(5).overflowPolicy(OverflowPolicy.DROP_OLDEST));
        pool.admit("alice", "c1");
        for (int n = 0; n < 20; n++) {
            assertThat(pool.sendToConnection("alice", "c1", frame(n))).isTrue();
        }
        DeliveryStatistics queued = pool.deliveryStatistics();
        assertThat(queued.framesDropped()).isEqualTo(14);
        assertThat(queued.framesQueued()).isEqualTo(5);

        first.complete(null);

        List<String> expected = new ArrayList<>(List.of(frame(0)));
        expected.addAll(frames(15, 20));
        assertThat(manager.framesOf("c1")).isEqualTo(expected);
        DeliveryStatistics stats = pool.deliveryStatistics();
        assertThat(stats.framesSent() + stats.framesDropped()).isEqualTo(20);
        assertThat(stats.connectionsClosedSlow()).isZero();
        assertThat(pool.ownerOf("c1")).contains("alice");
        assertThat(closedEvents).isEmpty();
    }

    @Test
    void theByteBoundCountsUtf8Bytes() {
        manager.on("c1", (id, f) -> new CompletableFuture<>());
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxQueuedBytes(50).overflowPolicy(OverflowPolicy.DROP_OLDEST));
        pool.admit("alice", "c1");
        String twentyBytes = "é".repeat(10);   // 10 chars, 20 bytes in UTF-8
        pool.sendToConnection("alice", "c1", "in flight");
        for (int n = 0; n < 5; n++) {
            pool.sendToConnection("alice", "c1", twentyBytes);
        }
        assertThat(pool.deliveryStatistics().framesQueued()).isEqualTo(2);
        assertThat(pool.deliveryStatistics().framesDropped()).isEqualTo(3);
    }

    @Test
    void aFrameLargerThanTheByteBoundStillGoesThroughAnEmptyQueue() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        manager.on("c1", (id, f) -> calls.getAndIncrement() == 0 ? first : CompletableFuture.completedFuture(null));
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxQueuedBytes(10));
        pool.admit("alice", "c1");
        String big = "x".repeat(100);
        assertThat(pool.sendToConnection("alice", "c1", big)).isTrue();   // straight to the manager
        assertThat(pool.sendToConnection("alice", "c1", big)).isTrue();   // queued alone
        first.complete(null);
        assertThat(manager.framesOf("c1")).containsExactly(big, big);
        assertThat(pool.deliveryStatistics().framesDropped()).isZero();
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aConnectionWhoseSendsKeepFailingIsRemovedAfterTheBound() {
        manager.on("bad", (id, f) -> CompletableFuture.failedFuture(new IllegalStateException("socket gone")));
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxConsecutiveFailures(3));
        pool.admit("alice", "bad");
        pool.admit("alice", "good");
        assertThat(pool.sendToUser("alice", frame(0))).isEqualTo(2);
        assertThat(pool.sendToUser("alice", frame(1))).isEqualTo(2);
        assertThat(pool.ownerOf("bad")).contains("alice");
        assertThat(pool.sendToUser("alice", frame(2))).isEqualTo(2);   // third failure in a row: removed

        assertThat(pool.ownerOf("bad")).isEmpty();
        assertThat(closedEvents).containsExactly("alice/bad");
        assertThat(pool.sendToUser("alice", frame(3))).isEqualTo(1);
        assertThat(manager.framesOf("good")).isEqualTo(frames(0, 4));
        DeliveryStatistics stats = pool.deliveryStatistics();
        assertThat(stats.sendFailures()).isEqualTo(3);
        assertThat(stats.connectionsClosedFailing()).isEqualTo(1);
        assertThat(stats.framesSent()).isEqualTo(4);
    }

    @Test
    void aSuccessfulSendResetsTheFailureCount() {
        AtomicInteger calls = new AtomicInteger();
        // fail, fail, ok, fail, fail, ok, ...: never three failures in a row
        manager.on("flaky", (id, f) -> calls.getAndIncrement() % 3 == 2
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IllegalStateException("hiccup")));
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxConsecutiveFailures(3));
        pool.admit("alice", "flaky");
        for (int n = 0; n < 30; n++) {
            assertThat(pool.sendToConnection("alice", "flaky", frame(n))).isTrue();
        }
        assertThat(pool.ownerOf("flaky")).contains("alice");
        assertThat(pool.deliveryStatistics().sendFailures()).isEqualTo(20);
        assertThat(pool.deliveryStatistics().framesSent()).isEqualTo(10);
    }

    @Test
    void aManagerThatThrowsCountsAsAFailedSendAndTheEmitterDoesNotSeeIt() {
        manager.on("c1", (id, f) -> {
            throw new IllegalStateException("boom");
        });
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxConsecutiveFailures(2));
        pool.admit("alice", "c1");
        assertThat(pool.sendToConnection("alice", "c1", frame(0))).isTrue();
        assertThat(pool.deliveryStatistics().sendFailures()).isEqualTo(1);
        assertThat(pool.sendToConnection("alice", "c1", frame(1))).isTrue();
        assertThat(pool.deliveryStatistics().sendFailures()).isEqualTo(2);
        assertThat(pool.deliveryStatistics().connectionsClosedFailing()).isEqualTo(1);
        assertThat(pool.sendToConnection("alice", "c1", frame(2))).isFalse();
        assertThat(closedEvents).containsExactly("alice/c1");
    }

    @Test
    void aManagerThatSneakilyThrowsACheckedExceptionCountsAsAFailedSend() {
        manager.on("c1", (id, f) -> sneakyThrow(new java.io.IOException("broken pipe")));
        ConnectionPool pool = pool(ConnectionPool.builder(manager));
        pool.admit("alice", "c1");
        assertThat(pool.sendToConnection("alice", "c1", frame(0))).isTrue();
        assertThat(pool.sendToConnection("alice", "c1", frame(1))).isTrue();
        assertThat(pool.deliveryStatistics().sendFailures()).isEqualTo(2);
        assertThat(pool.ownerOf("c1")).contains("alice");
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable, R> R sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aManagerThatReturnsNullCountsAsAFailedSend() {
        manager.on("c1", (id, f) -> null);
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxConsecutiveFailures(1));
        pool.admit("alice", "c1");
        assertThat(pool.sendToConnection("alice", "c1", frame(0))).isTrue();
        DeliveryStatistics stats = pool.deliveryStatistics();
        assertThat(stats.sendFailures()).isEqualTo(1);
        assertThat(stats.connectionsClosedFailing()).isEqualTo(1);
        assertThat(pool.ownerOf("c1")).isEmpty();
    }

    @Test
    void removalForFailureDropsWhatWasQueuedAndEveryFrameIsAccountedFor() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        manager.on("c1", (id, f) -> first);
        ConnectionPool pool = pool(ConnectionPool.builder(manager).maxConsecutiveFailures(1));
        pool.admit("alice", "c1");
        for (int n = 0; n < 5; n++) {
            pool.sendToConnection("alice", "c1", frame(n));
        }
        first.completeExceptionally(new IllegalStateException("reset by peer"));
        DeliveryStatistics stats = pool.deliveryStatistics();
        assertThat(stats.sendFailures()).isEqualTo(1);
        assertThat(stats.framesDropped()).isEqualTo(4);
        assertThat(stats.framesQueued()).isZero();
        assertThat(manager.framesOf("c1")).containsExactly(frame(0));
    }

    // ------------------------------------------------------------------ unregister and listeners

    @Test
    void afterUnregisterQueuedFramesStillLeaveButNewOnesAreRefused() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        manager.on("c1", (id, f) -> calls.getAndIncrement() == 0 ? first : CompletableFuture.completedFuture(null));
        ConnectionPool pool = pool(ConnectionPool.builder(manager));
        pool.admit("alice", "c1");
        pool.sendToConnection("alice", "c1", frame(0));
        pool.sendToConnection("alice", "c1", frame(1));
        pool.sendToConnection("alice", "c1", frame(2));

        assertThat(pool.unregister("c1")).isTrue();
        assertThat(closedEvents).containsExactly("alice/c1");
        assertThat(pool.sendToConnection("alice", "c1", frame(3))).isFalse();
        assertThat(pool.sendToUser("alice", frame(3))).isZero();
        assertThat(pool.activeConnections()).isZero();
        // Frames of alice may still reach the transport under this id: nobody else may take it yet.
        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.FORBIDDEN);

        first.complete(null);

        assertThat(manager.framesOf("c1")).isEqualTo(frames(0, 3));
        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.deliveryStatistics().framesSent()).isEqualTo(3);
    }

    @Test
    void theSameUserReregisteringADrainingIdKeepsOneWriterAndTheOrder() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        manager.on("c1", (id, f) -> calls.getAndIncrement() == 0 ? first : CompletableFuture.completedFuture(null));
        ConnectionPool pool = pool(ConnectionPool.builder(manager));
        pool.admit("alice", "c1");
        pool.sendToConnection("alice", "c1", frame(0));
        pool.sendToConnection("alice", "c1", frame(1));
        pool.unregister("alice", "c1");

        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.sendToConnection("alice", "c1", frame(2))).isTrue();
        assertThat(pool.activeConnections()).isEqualTo(1);
        first.complete(null);

        assertThat(manager.framesOf("c1")).isEqualTo(frames(0, 3));
        assertThat(manager.overlaps()).isZero();
        assertThat(pool.connectionsOf("alice")).containsExactly("c1");
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() {
        ConnectionPool pool = pool(ConnectionPool.builder(manager));
        pool.addListener((u, c, reason) -> {
            throw new IllegalStateException("listener bug");
        });
        List<String> second = new CopyOnWriteArrayList<>();
        pool.addListener((u, c, reason) -> second.add(c));
        pool.admit("alice", "c1");
        assertThat(pool.unregister("c1")).isTrue();
        assertThat(closedEvents).containsExactly("alice/c1");
        assertThat(second).containsExactly("c1");
    }

    @Test
    void closingThePoolRemovesEveryConnectionDropsQueuesAndTellsListeners() {
        manager.on("stuck", (id, f) -> new CompletableFuture<>());
        ConnectionPool pool = pool(ConnectionPool.builder(manager));
        pool.admit("alice", "stuck");
        pool.admit("bob", "b1");
        pool.sendToConnection("alice", "stuck", frame(0));
        pool.sendToConnection("alice", "stuck", frame(1));
        pool.close();
        pool.close();   // idempotent
        assertThat(closedEvents).containsExactlyInAnyOrder("alice/stuck", "bob/b1");
        assertThat(pool.activeConnections()).isZero();
        assertThat(pool.connectedUsers()).isZero();
        assertThat(pool.deliveryStatistics().framesDropped()).isEqualTo(1);
        assertThat(pool.deliveryStatistics().framesQueued()).isZero();
    }

    private static void awaitSent(ConnectionPool pool, long expected) throws InterruptedException {
        for (int i = 0; i < 6_000 && pool.deliveryStatistics().framesSent() < expected; i++) {
            Thread.sleep(5);
        }
        assertThat(pool.deliveryStatistics().framesSent()).isEqualTo(expected);
    }
}
