package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Handlers added and removed while other threads route: no exception, no message lost. */
class ConcurrentRoutingTest {

    private static final int ROUTERS = 4;
    private static final int MESSAGES_PER_ROUTER = 20_000;

    @Test
    void addingAndRemovingHandlersWhileRoutingLosesNoMessage() throws Exception {
        RecordingRegistry registry = new RecordingRegistry();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(registry).build();
        AtomicLong customHandled = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(ROUTERS + 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> routers = new ArrayList<>();
        for (int r = 0; r < ROUTERS; r++) {
            String user = "user" + r;
            routers.add(pool.submit(() -> {
                start.await();
                long ok = 0;
                for (int i = 0; i < MESSAGES_PER_ROUTER; i++) {
                    // chat is claimed by a custom handler part of the time, else by the built-in: either way handled.
                    if (router.routeMessage(user, user + "-c", "{\"type\":\"chat\"}")) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        List<Future<?>> mutators = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            mutators.add(pool.submit(() -> {
                start.await();
                while (!stop.get()) {
                    MessageHandler h = new MessageHandler() {
                        @Override
                        public Set<String> messageTypes() {
                            return Set.of("chat");
                        }

                        @Override
                        public boolean handle(RoutingContext context, Message message) {
                            customHandled.incrementAndGet();
                            return true;
                        }
                    };
                    router.addCustomHandler(h);
                    Thread.yield();
                    assertThat(router.removeCustomHandler(h)).isTrue();
                }
                return null;
            }));
        }
        start.countDown();
        long total = 0;
        for (Future<Long> f : routers) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        stop.set(true);
        for (Future<?> f : mutators) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        long expected = (long) ROUTERS * MESSAGES_PER_ROUTER;
        assertThat(total).isEqualTo(expected);
        RoutingStatistics stats = router.statistics();
        assertThat(stats.messagesRouted()).isEqualTo(expected);
        assertThat(stats.handlerErrors()).isZero();
        assertThat(stats.unhandledMessages()).isZero();
        long builtinHandled = stats.handlerStatistics().get("UserMessageHandler").handled();
        assertThat(builtinHandled + customHandled.get()).isEqualTo(expected);
        // Every built-in reply reached the sender's own connection and nobody else's.
        for (int r = 0; r < ROUTERS; r++) {
            registry.framesOf("user" + r + "-c").forEach(f -> assertThat(f).contains("message_received"));
        }
        long replies = 0;
        for (int r = 0; r < ROUTERS; r++) {
            replies += registry.framesOf("user" + r + "-c").size();
        }
        assertThat(replies).isEqualTo(builtinHandled);
        assertThat(router.handlerOrder()).hasSize(10);
    }
}
