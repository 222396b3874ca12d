package io.wsrouter.compat;

import io.wsrouter.events.RecordingManager;
import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code checkHandlerStatusWithGracePeriod()}: initializing / ready / error, driven by a clock the test moves. */
@SuppressWarnings("removal")
class GracePeriodTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void withinTheGracePeriodTheStatusIsInitializingAndNamesTheHandlers() {
        MessageRouter router = new MessageRouter(CanonicalMessageRouter.builder().clock(clock).build());
        clock.advance(Duration.ofMillis(9_999));

        Map<String, Object> status = router.checkHandlerStatusWithGracePeriod();

        assertThat(status).containsEntry("status", "initializing").containsEntry("grace_period_active", true)
                .containsEntry("elapsed_seconds", 9.999).containsEntry("grace_period_seconds", 10.0)
                .containsEntry("handler_count", 9).containsEntry("handlers", router.getHandlerOrder());
        assertThat((String) status.get("message")).contains("9 handlers");
    }

    @Test
    void afterTheGracePeriodWithHandlersTheStatusIsReady() {
        MessageRouter router = new MessageRouter(CanonicalMessageRouter.builder().clock(clock).build());
        clock.advance(Duration.ofSeconds(10));

        Map<String, Object> status = router.checkHandlerStatusWithGracePeriod();

        assertThat(status).containsEntry("status", "ready").containsEntry("grace_period_active", false)
                .containsEntry("elapsed_seconds", 10.0).containsEntry("handler_count", 9)
                .containsEntry("message", "Handler registration complete (9 handlers)")
                .containsEntry("handlers", router.getHandlerOrder());
    }

    @Test
    void afterTheGracePeriodWithoutAnyHandlerTheStatusIsError() {
        MessageRouter router = new MessageRouter(
                CanonicalMessageRouter.builder().builtinHandlers(false).clock(clock).build());
        assertThat(router.checkHandlerStatusWithGracePeriod()).containsEntry("status", "initializing")
                .containsEntry("handler_count", 0).doesNotContainKey("handlers");

        clock.advance(Duration.ofSeconds(11));
        Map<String, Object> status = router.checkHandlerStatusWithGracePeriod();

        assertThat(status).containsEntry("status", "error").containsEntry("grace_period_active", false)
                .containsEntry("handler_count", 0)
                .containsEntry("message", "No handlers registered after 10.0s grace period")
                .doesNotContainKey("handlers");
    }

    @Test
    void aHandlerAddedAfterTheErrorMakesTheRouterReady() {
        MessageRouter router = new MessageRouter(
                CanonicalMessageRouter.builder().builtinHandlers(false).clock(clock).build());
        clock.advance(Duration.ofSeconds(11));
        assertThat(router.checkHandlerStatusWithGracePeriod()).containsEntry("status", "error");

        router.addHandler(NamedHandler.claiming("Late", "ping"));

        assertThat(router.checkHandlerStatusWithGracePeriod()).containsEntry("status", "ready")
                .containsEntry("handlers", java.util.List.of("Late"));
    }

    @Test
    void aConfiguredGracePeriodIsReportedAndApplied() {
        MessageRouter router = new MessageRouter(
                CanonicalMessageRouter.builder().startupGracePeriod(Duration.ofSeconds(2)).clock(clock).build());
        clock.advance(Duration.ofMillis(1_500));
        assertThat(router.checkHandlerStatusWithGracePeriod()).containsEntry("status", "initializing")
                .containsEntry("grace_period_seconds", 2.0);

        clock.advance(Duration.ofMillis(500));

        assertThat(router.checkHandlerStatusWithGracePeriod()).containsEntry("status", "ready");
    }

    @Test
    void theGracePeriodNeverDelaysOrDropsAMessage() {
        RecordingManager manager = new RecordingManager();
        CanonicalMessageRouter canonical = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(manager).build()).clock(clock).build();
        MessageRouter router = new MessageRouter(canonical);
        try {
            assertThat(router.checkHandlerStatusWithGracePeriod()).containsEntry("status", "initializing");

            assertThat(router.routeMessage("alice", "a1", Map.of("type", "ping"))).isTrue();

            assertThat(manager.last("a1").get("type").asText()).isEqualTo("pong");
        } finally {
            canonical.close();
        }
    }

    @Test
    void getStatsEmbedsTheSameStatus() {
        MessageRouter router = new MessageRouter(CanonicalMessageRouter.builder().clock(clock).build());
        clock.advance(Duration.ofSeconds(30));

        assertThat(router.getStats().get("handler_status")).isEqualTo(router.checkHandlerStatusWithGracePeriod());
        assertThat(router.getStats()).containsEntry("startup_elapsed_seconds", 30.0);
    }
}
