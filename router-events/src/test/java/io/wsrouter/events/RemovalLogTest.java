package io.wsrouter.events;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The pool's removal lines are rate-limited: a churn of slow peers cannot flood the log. */
class RemovalLogTest {

    private final MutableClock clock = new MutableClock();
    private final Logger poolLog = (Logger) LoggerFactory.getLogger(DefaultConnectionPool.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        poolLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        poolLog.detachAppender(logs);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Removes {@code n} connections for overflowing their queue of one frame. */
    private static void overflow(ConnectionPool pool, int from, int n) {
        for (int i = from; i < from + n; i++) {
            String id = "c" + i;
            pool.admit("alice" + (i % 7), id);
            pool.sendToConnection("alice" + (i % 7), id, "in flight");
            pool.sendToConnection("alice" + (i % 7), id, "queued");
            assertThat(pool.sendToConnection("alice" + (i % 7), id, "too many")).isFalse();
        }
    }

    @Test
    void removalsAreLoggedUpToTheLimitPerWindowThenCountedInOneLine() {
        try (ConnectionPool pool = ConnectionPool.builder((id, f) -> new CompletableFuture<Void>())
                .clock(clock).maxQueuedFrames(1).build()) {
            overflow(pool, 0, 25);
            assertThat(pool.deliveryStatistics().connectionsClosedSlow()).isEqualTo(25);
            assertThat(warnings()).hasSize(DefaultConnectionPool.REMOVAL_LOG_LIMIT)
                    .allMatch(line -> line.contains("its outbound queue overflowed"))
                    .anyMatch(line -> line.startsWith("removed connection c0 of user alice0"));

            clock.advance(Duration.ofMillis(DefaultConnectionPool.REMOVAL_LOG_WINDOW_MILLIS));
            overflow(pool, 25, 1);

            List<String> lines = warnings();
            assertThat(lines).hasSize(DefaultConnectionPool.REMOVAL_LOG_LIMIT + 2);
            assertThat(lines.get(DefaultConnectionPool.REMOVAL_LOG_LIMIT))
                    .isEqualTo("15 more lines about removed connections were not logged (at most 10 every 10000 ms)");
            assertThat(lines.get(DefaultConnectionPool.REMOVAL_LOG_LIMIT + 1)).startsWith("removed connection c25 ");
        }
    }

    @Test
    void aListenerFailingOnEveryRemovalIsRateLimitedToo() {
        try (ConnectionPool pool = ConnectionPool.builder((id, f) -> CompletableFuture.completedFuture(null))
                .clock(clock).build()) {
            pool.addListener((user, conn, reason) -> {
                throw new IllegalStateException("listener bug");
            });
            for (int i = 0; i < 100; i++) {
                pool.admit("alice", "c" + i % 10);
                pool.unregister("c" + i % 10);
            }
            assertThat(warnings()).hasSize(DefaultConnectionPool.REMOVAL_LOG_LIMIT)
                    .allMatch(line -> line.startsWith("connection listener "));
            assertThat(logs.list.get(0).getThrowableProxy().getMessage()).isEqualTo("listener bug");
        }
    }
}
