package io.wsrouter.core;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FloodControlTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00Z"));
    private final RecordingRegistry registry = new RecordingRegistry();
    private final Logger routerLog = (Logger) LoggerFactory.getLogger(CanonicalMessageRouter.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        routerLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        routerLog.detachAppender(logs);
    }

    private CanonicalMessageRouter limited(double perSecond, int burst) {
        return CanonicalMessageRouter.builder().connectionPool(registry).clock(clock)
                .rateLimit(RateLimit.perSecond(perSecond, burst)).build();
    }

    @Test
    void connectionOverItsRateIsRateLimitedAndCounted() {
        CanonicalMessageRouter router = limited(1, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        }
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("RATE_LIMITED", 1L);
        clock.advance(Duration.ofSeconds(1));
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
    }

    @Test
    void aConnectionAtItsLimitDoesNotLimitOthers() {
        CanonicalMessageRouter router = limited(1, 1);
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isFalse();
        assertThat(router.routeMessage("bob", "b1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(router.routeMessage("alice", "c2", "{\"type\":\"ping\"}")).isTrue();
    }

    @Test
    void batchEntriesCountOneByOne() {
        CanonicalMessageRouter router = limited(1, 5);
        String batchOfFour = "{\"type\":\"batch\",\"payload\":{\"messages\":[{\"type\":\"ping\"},{\"type\":\"ping\"},{\"type\":\"ping\"},{\"type\":\"ping\"}]}}";
        assertThat(router.routeMessage("alice", "c1", batchOfFour)).isTrue();   // 4 of 5 tokens
        assertThat(router.routeMessage("alice", "c1", batchOfFour)).isFalse();  // the frame takes the last one, its entries find none
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isFalse();
        clock.advance(Duration.ofSeconds(4));
        assertThat(router.routeMessage("alice", "c1", batchOfFour)).isTrue();
    }

    @Test
    void jsonRpcBatchEntriesCountOneByOne() {
        CanonicalMessageRouter router = limited(1, 2);
        assertThat(router.routeMessage("alice", "c1", "[1,2,3]")).isFalse();
        assertThat(router.statistics().rejectionsByCode()).containsEntry("RATE_LIMITED", 1L);
    }

    @Test
    void bucketLeavesWithItsConnection() {
        CanonicalMessageRouter router = limited(1, 1);
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        router.unregisterConnection("c1");
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
    }

    @Test
    void handlerFailuresTriggeredByClientsAreLoggedAtABoundedRateWithEscapedIds() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(registry).clock(clock)
                .rejectionLogLimit(3)
                .customHandler(new MessageHandler() {
                    @Override
                    public java.util.Set<String> messageTypes() {
                        return java.util.Set.of("fragile");
                    }

                    @Override
                    public boolean handle(RoutingContext context, Message message) {
                        throw new IllegalStateException("bug");
                    }
                }).build();
        for (int i = 0; i < 50; i++) {
            router.routeMessage("mallory", "m1", "{\"type\":\"fragile\",\"thread_id\":\"x\\nFAKE LOG LINE " + "y".repeat(200) + "\"}");
        }
        List<ILoggingEvent> events = logs.list;
        assertThat(events).hasSize(3);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).contains("handler").doesNotContain("\n").contains("\\u000a").doesNotContain("y".repeat(100));
            assertThat(e.getThrowableProxy()).isNotNull();
        });
        assertThat(router.statistics().handlerErrors()).isEqualTo(50);
    }

    @Test
    void rateLimitWithoutAPoolIsAConfigurationError() {
        assertThatThrownBy(() -> CanonicalMessageRouter.builder().rateLimit(RateLimit.perSecond(1, 1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connectionPool");
        assertThatThrownBy(() -> RateLimit.perSecond(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("messagesPerSecond must be > 0 but was 0.0");
    }

    @Test
    void rejectedInputIsLoggedAtABoundedRateWithoutTheBody() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(registry).clock(clock)
                .rejectionLogLimit(5).build();
        for (int i = 0; i < 100; i++) {
            router.routeMessage("mallory", "m1", "{\"type\": secret-password-" + i);
        }
        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        assertThat(lines).hasSize(5);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line).contains("mallory").contains("m1").contains("INVALID_JSON");
            assertThat(line).doesNotContain("secret-password");
        });
        clock.advance(Duration.ofSeconds(11));
        router.routeMessage("mallory", "m1", "{\"type\":\"ping\"");
        List<String> after = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        assertThat(after).hasSize(7);
        assertThat(after.get(5)).contains("95 more lines about rejected input or failed handlers were not logged");
        assertThat(router.statistics().rejectedMessages()).isEqualTo(101);
    }
}
