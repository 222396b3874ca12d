package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConnectionPoolBuilderTest {

    private final ConnectionPool.Builder builder = ConnectionPool.builder((id, frame) -> CompletableFuture.completedFuture(null));

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(ConnectionPool.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofSeconds(300));
        assertThat(ConnectionPool.DEFAULT_MAX_CONNECTIONS_PER_USER).isEqualTo(32);
        assertThat(ConnectionPool.DEFAULT_MAX_QUEUED_FRAMES).isEqualTo(1024);
        assertThat(ConnectionPool.DEFAULT_MAX_QUEUED_BYTES).isEqualTo(1024 * 1024);
        assertThat(ConnectionPool.DEFAULT_OVERFLOW_POLICY).isEqualTo(OverflowPolicy.CLOSE_CONNECTION);
        assertThat(ConnectionPool.DEFAULT_MAX_CONSECUTIVE_FAILURES).isEqualTo(3);
        assertThat(ConnectionPool.DEFAULT_SWEEP_INTERVAL).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void defaultPoolAllowsThirtyTwoConnectionsPerUser() {
        try (ConnectionPool pool = builder.build()) {
            for (int i = 0; i < 32; i++) {
                assertThat(pool.admit("u", "c" + i).admitted()).isTrue();
            }
            assertThat(pool.admit("u", "c32")).isEqualTo(io.wsrouter.core.Admission.LIMIT_REACHED);
        }
    }

    @Test
    void thePoolReportsTheIdleTimeoutItWasBuiltWith() {
        try (ConnectionPool byDefault = builder.build()) {
            assertThat(byDefault.idleTimeout()).isEqualTo(ConnectionPool.DEFAULT_IDLE_TIMEOUT);
        }
        try (ConnectionPool custom = builder.idleTimeout(Duration.ofSeconds(42)).build()) {
            assertThat(custom.idleTimeout()).isEqualTo(Duration.ofSeconds(42));
        }
    }

    @Test
    void nonPositiveNumbersAreRejectedWithTheBadValue() {
        assertThatThrownBy(() -> builder.maxQueuedFrames(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxQueuedFrames must be > 0 but was -1");
        assertThatThrownBy(() -> builder.maxQueuedBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxQueuedBytes must be > 0 but was 0");
        assertThatThrownBy(() -> builder.maxConnectionsPerUser(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxConnectionsPerUser must be > 0 but was 0");
        assertThatThrownBy(() -> builder.maxConsecutiveFailures(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxConsecutiveFailures must be > 0 but was -5");
    }

    @Test
    void nonPositiveDurationsAreRejectedWithTheBadValue() {
        assertThatThrownBy(() -> builder.idleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idleTimeout must be > 0 but was PT0S");
        assertThatThrownBy(() -> builder.sweepInterval(Duration.ofSeconds(-2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sweepInterval must be > 0 but was PT-2S");
    }

    @Test
    void nullsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> ConnectionPool.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("manager");
        assertThatThrownBy(() -> builder.idleTimeout(null)).isInstanceOf(NullPointerException.class).hasMessage("idleTimeout");
        assertThatThrownBy(() -> builder.sweepInterval(null)).isInstanceOf(NullPointerException.class).hasMessage("sweepInterval");
        assertThatThrownBy(() -> builder.overflowPolicy(null)).isInstanceOf(NullPointerException.class).hasMessage("overflowPolicy");
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    }

    @Test
    void hugeDurationsAreAccepted() {
        try (ConnectionPool pool = builder.idleTimeout(Duration.ofSeconds(Long.MAX_VALUE))
                .sweepInterval(Duration.ofDays(365_000)).build()) {
            pool.admit("u", "c");
            assertThat(pool.expireIdle()).isZero();
        }
    }

    @Test
    void publicApiMethodsRejectNulls() {
        try (ConnectionPool pool = builder.build()) {
            assertThatThrownBy(() -> pool.admit(null, "c")).isInstanceOf(NullPointerException.class).hasMessage("userId");
            assertThatThrownBy(() -> pool.admit("u", null)).isInstanceOf(NullPointerException.class).hasMessage("connectionId");
            assertThatThrownBy(() -> pool.sendToUser("u", null)).isInstanceOf(NullPointerException.class).hasMessage("frame");
            assertThatThrownBy(() -> pool.sendToConnection("u", "c", null)).isInstanceOf(NullPointerException.class).hasMessage("frame");
            assertThatThrownBy(() -> pool.addListener(null)).isInstanceOf(NullPointerException.class).hasMessage("listener");
        }
    }
}
