package io.wsrouter.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The router's counters: {@link LongAdder}s written by the routing threads without contention, read
 * into an immutable {@link RoutingStatistics} snapshot (Caffeine's StatsCounter / CacheStats split).
 * Shared by all routing threads; every field is thread-safe.
 *
 * <p>It is the first user of the observation SPI: routing times, rejections and handler failures
 * reach it as a {@link RoutingObserver} (always installed, called directly, before any other).
 */
final class StatisticsRecorder implements RoutingObserver {

    final LongAdder routed = new LongAdder();
    final LongAdder unhandled = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder quality = new LongAdder();
    final LongAdder connectionEvents = new LongAdder();
    private final LatencyHistogram routingTime = new LatencyHistogram();
    private final Map<ErrorCode, LongAdder> rejections = new EnumMap<>(ErrorCode.class);
    private final ConcurrentHashMap<String, LongAdder> types = new ConcurrentHashMap<>();
    private final LongAdder unknownTypes = new LongAdder();
    private final ConcurrentHashMap<String, HandlerCounters> handlers = new ConcurrentHashMap<>();
    private final int maxTypeKeys;
    private final Instant started;

    StatisticsRecorder(int maxTypeKeys, Instant started) {
        this.maxTypeKeys = maxTypeKeys;
        this.started = started;
        for (ErrorCode code : ErrorCode.values()) {
            rejections.put(code, new LongAdder());
        }
        types.put(MessageTypes.UNKNOWN_BUCKET, unknownTypes);
    }

    /**
     * Counts one message under its type when the type is known, or else under {@code "unknown"}, so
     * that random types sent by clients cannot grow the map past {@code maxTypeKeys}.
     */
    void countType(String type, Predicate<String> known) {
        LongAdder adder = types.get(type);
        if (adder == null) {
            adder = adderForNewType(type, known);
        }
        adder.increment();
    }

    /** @return whether the type already has its own counter (the hot path: no allocation) */
    boolean countKnownType(String type) {
        LongAdder adder = types.get(type);
        if (adder == null) {
            return false;
        }
        adder.increment();
        return true;
    }

    private LongAdder adderForNewType(String type, Predicate<String> known) {
        if (types.size() < maxTypeKeys && known.test(type)) {
            return types.computeIfAbsent(type, t -> new LongAdder());
        }
        return unknownTypes;
    }

    @Override
    public void messageRejected(ErrorCode code) {
        rejected.increment();
        rejections.get(code).increment();
    }

    @Override
    public void messageRouted(String type, String handler, RouteOutcome outcome, long nanos) {
        routingTime.record(nanos);
    }

    @Override
    public void handlerFailed(String handler, String type, Throwable error) {
        handlerErrors.increment();
    }

    HandlerCounters countersFor(String handlerName) {
        return handlers.computeIfAbsent(handlerName, n -> new HandlerCounters());
    }

    RoutingStatistics snapshot(Clock clock, int activeConnections, int connectedUsers, int qualityHandlers,
                               DeliveryStatistics delivery) {
        Map<String, Long> typeCounts = new HashMap<>();
        types.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                typeCounts.put(k, n);
            }
        });
        Map<String, Long> codes = new HashMap<>();
        rejections.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                codes.put(k.name(), n);
            }
        });
        Map<String, HandlerStatistics> perHandler = new HashMap<>();
        handlers.forEach((k, v) -> perHandler.put(k, new HandlerStatistics(v.handled.sum(), v.errors.sum())));
        Duration elapsed = Duration.between(started, clock.instant());
        return new RoutingStatistics(routed.sum(), unhandled.sum(), handlerErrors.sum(), rejected.sum(),
                typeCounts, quality.sum(), connectionEvents.sum(), activeConnections, connectedUsers,
                qualityHandlers, elapsed.isNegative() ? Duration.ZERO : elapsed, codes, perHandler,
                routingTime.snapshot(), delivery);
    }

    /** Handled and error counts of one handler name, shared by every slot of that name. */
    static final class HandlerCounters {
        final LongAdder handled = new LongAdder();
        final LongAdder errors = new LongAdder();
    }
}
