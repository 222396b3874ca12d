package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyValueFallsInABucketWhoseUpperBoundIsAtMostAQuarterAbove() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = i < 1000 ? i : random.nextLong() >>> (1 + random.nextInt(63));
            int index = LatencyHistogram.index(v);
            assertThat(index).isBetween(0, LatencyHistogram.BUCKETS - 1);
            long upper = LatencyHistogram.upperBound(index);
            assertThat(upper).isGreaterThanOrEqualTo(v);
            assertThat((double) upper).isLessThanOrEqualTo(v * 1.25 + 1);
            if (index > 0) {
                assertThat(LatencyHistogram.upperBound(index - 1)).isLessThan(v);
            }
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.upperBound(LatencyHistogram.BUCKETS - 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void percentilesAreWithinTheirBucketAndTheMaxIsExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 1000; v++) {
            h.record(v * 1000);             // 1 us .. 1 ms, uniform
        }
        h.record(31_000_000_000L);          // one 31-second route
        RoutingTime t = h.snapshot();
        assertThat(t.count()).isEqualTo(1001);
        assertThat(t.maxNanos()).isEqualTo(31_000_000_000L);
        assertThat(t.p50Nanos()).isBetween(501_000L, (long) (501_000 * 1.25));
        assertThat(t.p90Nanos()).isBetween(901_000L, (long) (901_000 * 1.25));
        assertThat(t.p99Nanos()).isBetween(991_000L, (long) (991_000 * 1.25));
        assertThat(t.meanNanos()).isEqualTo((500_500_000L + 31_000_000_000L) / 1001);
    }

    @Test
    void anEmptyHistogramIsAllZero() {
        assertThat(new LatencyHistogram().snapshot()).isEqualTo(RoutingTime.EMPTY);
    }

    @Test
    void eightThreadsRecordingLoseNothing() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        int threads = 8;
        int each = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    h.record(base * 1000 + i % 7);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        RoutingTime t = h.snapshot();
        assertThat(t.count()).isEqualTo((long) threads * each);
        assertThat(t.maxNanos()).isEqualTo(7006);
    }
}
