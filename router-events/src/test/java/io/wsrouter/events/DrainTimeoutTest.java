package io.wsrouter.events;

import io.wsrouter.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsrouter.core.Admission;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A peer that stopped reading cannot pin the queue of a connection it closed. */
class DrainTimeoutTest {

    @Test
    void gracefullyClosedConnectionStillDrainingIsDroppedAfterTheDrainTimeout() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00Z"));
        // A transport whose writes never complete: the peer stopped reading.
        try (ConnectionPool pool = ConnectionPool.builder((c, f) -> new CompletableFuture<Void>())
                .clock(clock).drainTimeout(Duration.ofSeconds(30)).build()) {
            assertThat(pool.admit("mallory", "m1")).isEqualTo(Admission.REGISTERED);
            for (int i = 0; i < 10; i++) {
                assertThat(pool.sendToConnection("mallory", "m1", "frame-" + i)).isTrue();
            }
            assertThat(pool.unregister("m1")).isTrue();
            assertThat(pool.admit("bob", "m1")).isEqualTo(Admission.FORBIDDEN); // reserved while draining
            assertThat(pool.deliveryStatistics().framesQueued()).isEqualTo(9);

            clock.advance(Duration.ofSeconds(29));
            pool.expireIdle();
            assertThat(pool.admit("bob", "m1")).isEqualTo(Admission.FORBIDDEN);

            clock.advance(Duration.ofSeconds(2));
            pool.expireIdle();
            assertThat(pool.deliveryStatistics().framesQueued()).isZero();
            assertThat(pool.deliveryStatistics().framesDropped()).isEqualTo(9);
            // The first frame's stage never completes: past the drain timeout the pool stops waiting
            // for it, so a stage that never completes cannot reserve the id forever.
            assertThat(pool.admit("bob", "m1")).isEqualTo(Admission.REGISTERED);
        }
    }

    @Test
    void aForcedRemovalWhoseSendNeverCompletesHoldsTheIdUntilTheDrainTimeoutThenReleasesIt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00Z"));
        RecordingManager manager = new RecordingManager().on("m1", (c, f) -> new CompletableFuture<Void>());
        try (ConnectionPool pool = ConnectionPool.builder(manager).maxQueuedFrames(2)
                .clock(clock).drainTimeout(Duration.ofSeconds(30)).build()) {
            pool.admit("mallory", "m1");
            for (int i = 0; i < 3; i++) {
                assertThat(pool.sendToConnection("mallory", "m1", "frame-" + i)).isTrue();   // 1 in flight, 2 queued
            }
            assertThat(pool.sendToConnection("mallory", "m1", "overflow")).isFalse();       // removed: SLOW
            assertThat(pool.deliveryStatistics().connectionsClosedSlow()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(29));
            pool.expireIdle();
            assertThat(pool.admit("mallory", "m1")).isEqualTo(Admission.FORBIDDEN);
            assertThat(pool.admit("bob", "m1")).isEqualTo(Admission.FORBIDDEN);

            clock.advance(Duration.ofSeconds(2));
            pool.expireIdle();
            assertThat(pool.admit("bob", "m1")).isEqualTo(Admission.REGISTERED);
            assertThat(manager.calls()).isEqualTo(1);   // nothing of mallory's queue was handed over
        }
    }

    @Test
    void abandonedDrainReleasesTheIdOnceTheSendInFlightCompletes() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T16:00:00Z"));
        java.util.List<CompletableFuture<Void>> inFlight = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ConnectionPool pool = ConnectionPool.builder((c, f) -> {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            inFlight.add(stage);
            return stage;
        }).clock(clock).drainTimeout(Duration.ofSeconds(30)).build()) {
            pool.admit("mallory", "m1");
            pool.sendToConnection("mallory", "m1", "a");
            pool.sendToConnection("mallory", "m1", "b");
            pool.unregister("m1");
            clock.advance(Duration.ofSeconds(31));
            pool.expireIdle();
            inFlight.get(0).complete(null);
            assertThat(inFlight).hasSize(1); // "b" was dropped, never sent
            assertThat(pool.admit("bob", "m1")).isEqualTo(Admission.REGISTERED);
        }
    }

    @Test
    void drainTimeoutIsValidated() {
        assertThatThrownBy(() -> ConnectionPool.builder((c, f) -> null).drainTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainTimeout");
    }
}
