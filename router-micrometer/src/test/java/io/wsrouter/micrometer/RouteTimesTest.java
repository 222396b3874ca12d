package io.wsrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTimesTest {

    @Test
    void percentilesAreBucketUpperBoundsNeverBelowTheTrueValueNorAboveTheMax() {
        RouteTimes times = new RouteTimes();
        for (long v = 1; v <= 1000; v++) {
            times.record(v * 1000); // 1 us .. 1 ms
        }
        assertThat(times.count()).isEqualTo(1000);
        assertThat(times.totalNanos()).isEqualTo(1000L * 1001 / 2 * 1000);
        assertThat(times.maxNanos()).isEqualTo(1_000_000);
        assertThat(times.percentileNanos(0.5)).isBetween(500_000.0, 500_000 * 1.25);
        assertThat(times.percentileNanos(0.99)).isBetween(990_000.0, 1_000_000.0);
        assertThat(times.percentileNanos(1.0)).isEqualTo(1_000_000);
    }

    @Test
    void percentilesForgetRoutesOlderThanTheWindowSoAColdStartDoesNotStayInThem() {
        long[] now = {0};
        RouteTimes times = new RouteTimes(() -> now[0]);
        for (int i = 0; i < 100; i++) {
            times.record(5_000_000); // a cold start: 5 ms each
        }
        assertThat(times.percentileNanos(0.5)).isEqualTo(5_000_000); // a reading at t=0
        now[0] += RouteTimes.STEP_NANOS;
        for (int i = 0; i < 1000; i++) {
            times.record(1_000); // warm: 1 us each
        }
        // Less than a window since the first reading: still over every route since the start.
        assertThat(times.percentileNanos(0.99)).isEqualTo(5_000_000);
        now[0] = RouteTimes.WINDOW_NANOS;
        // The reading at t=0 is a window old: only the routes after it count now.
        assertThat(times.percentileNanos(0.99)).isBetween(1_000.0, 1_250.0);
        assertThat(times.percentileNanos(0.5)).isBetween(1_000.0, 1_250.0);
        now[0] = 3 * RouteTimes.WINDOW_NANOS;
        // Nothing routed since the last reading that is a window old: no percentile to speak of.
        assertThat(times.percentileNanos(0.99)).isZero();
        assertThat(times.count()).isEqualTo(1100);
        assertThat(times.maxNanos()).isEqualTo(5_000_000);
    }

    @Test
    void nothingRecordedReadsAsZeroAndNegativeTimesCountAsZero() {
        RouteTimes times = new RouteTimes();
        assertThat(times.percentileNanos(0.99)).isZero();
        times.record(-5);
        assertThat(times.count()).isEqualTo(1);
        assertThat(times.maxNanos()).isZero();
    }

    @Test
    void everyValueFallsInABucketWhoseBoundsHoldIt() {
        for (long v : new long[] {0, 1, 3, 4, 5, 7, 8, 600, 1023, 1024, 1_000_000_007L, Long.MAX_VALUE}) {
            int i = RouteTimes.index(v);
            assertThat(i).isBetween(0, RouteTimes.BUCKETS - 1);
            assertThat(RouteTimes.upperBound(i)).isGreaterThanOrEqualTo(v);
            if (i > 0) {
                assertThat(RouteTimes.upperBound(i - 1)).isLessThan(v);
            }
        }
    }
}
