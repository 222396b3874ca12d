package io.wsrouter.core;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingStatisticsTest {

    @Test
    void twentyThousandRandomTypesLeaveThePerTypeMapBounded() {
        RecordingRegistry registry = new RecordingRegistry();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(registry).build();
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            router.routeMessage("alice", "c1", "{\"type\":\"t" + Long.toHexString(random.nextLong()) + "\"}");
        }
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        RoutingStatistics stats = router.statistics();
        assertThat(stats.messageTypes()).hasSizeLessThanOrEqualTo(CanonicalMessageRouter.DEFAULT_MAX_TYPE_KEYS);
        assertThat(stats.messageTypes()).containsEntry("unknown", 20_000L).containsEntry("ping", 1L);
        assertThat(stats.unhandledMessages()).isEqualTo(20_000);
        assertThat(stats.messagesRouted()).isEqualTo(20_001);
    }

    @Test
    void keyLimitCapsEvenKnownTypes() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().maxTypeKeys(3).build();
        for (String type : new String[] {"ping", "pong", "heartbeat", "connect", "chat"}) {
            router.routeMessage("alice", "c1", "{\"type\":\"" + type + "\"}");
        }
        assertThat(router.statistics().messageTypes()).hasSizeLessThanOrEqualTo(3)
                .containsEntry("ping", 1L).containsEntry("pong", 1L);
        assertThat(router.statistics().messageTypes().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
    }

    @Test
    void toMapHasTheLegacySnakeCaseKeys() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().build();
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        Map<String, Object> map = router.statistics().toMap();
        assertThat(map).containsKeys("messages_routed", "unhandled_messages", "handler_errors", "message_types",
                "rejected_messages", "quality_messages", "connection_events", "active_connections",
                "connected_users", "quality_handlers_active", "startup_elapsed_seconds", "handler_stats",
                "routing_time", "delivery", "rejections_by_code");
        assertThat(map.get("messages_routed")).isEqualTo(1L);
        assertThat(map.get("message_types")).isEqualTo(Map.of("ping", 1L));
        @SuppressWarnings("unchecked")
        Map<String, Object> handlers = (Map<String, Object>) map.get("handler_stats");
        assertThat(handlers).containsEntry("HeartbeatHandler", Map.of("handled", 1L, "errors", 0L));
    }

    @Test
    void routingTimeIsRecorded() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().build();
        for (int i = 0; i < 500; i++) {
            router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        }
        RoutingStatistics stats = router.statistics();
        assertThat(stats.averageRoutingNanos()).isPositive();
        assertThat(stats.maxRoutingNanos()).isGreaterThanOrEqualTo(stats.averageRoutingNanos());
    }

    @Test
    void gracePeriodOnlyChangesTheStatus() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00Z"));
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().clock(clock).build();
        assertThat(router.handlerStatus()).isEqualTo(HandlerStatus.INITIALIZING);
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue(); // never delayed
        clock.advance(Duration.ofSeconds(9));
        assertThat(router.handlerStatus()).isEqualTo(HandlerStatus.INITIALIZING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(router.handlerStatus()).isEqualTo(HandlerStatus.READY);
        assertThat(router.statistics().startupElapsed()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void noHandlerAfterTheGracePeriodIsError() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00Z"));
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().clock(clock).builtinHandlers(false)
                .startupGracePeriod(Duration.ofSeconds(1)).build();
        clock.advance(Duration.ofSeconds(2));
        assertThat(router.handlerStatus()).isEqualTo(HandlerStatus.ERROR);
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue(); // acked
        assertThat(router.statistics().unhandledMessages()).isEqualTo(1);
    }

    @Test
    void timestampsComeFromTheConfiguredClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00.123Z"));
        RecordingRegistry registry = new RecordingRegistry();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().clock(clock).connectionPool(registry).build();
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        assertThat(registry.last("c1").get("timestamp").asText()).isEqualTo("2026-11-27T16:00:00.123Z");
        clock.advance(Duration.ofMillis(877));
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        assertThat(registry.last("c1").get("timestamp").asText()).isEqualTo("2026-11-27T16:00:01.000Z");
    }
}
