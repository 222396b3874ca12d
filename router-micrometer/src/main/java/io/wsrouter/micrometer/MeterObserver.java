package io.wsrouter.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.TimeGauge;
import io.wsrouter.core.DeliveryOutcome;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.RemovalReason;
import io.wsrouter.core.RouteOutcome;
import io.wsrouter.core.RoutingObserver;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters' half of {@link WsrouterMetrics}: a {@link RoutingObserver} that counts into its own
 * {@link LongAdder}s and a {@link RouteTimes} histogram, exposed as function counters, function
 * timers and gauges, so that every registry shows everything since the router was built, whenever it
 * is bound, and a message costs no registry work. Thread-safe: the hot path is two map reads and a
 * few uncontended adds; binding and admitting a new type or handler are serialised on {@link #lock}.
 */
class MeterObserver implements RoutingObserver {

    static final String NO_TYPE = "none";
    static final String OTHER_HANDLER = "other";

    private final Object lock = new Object();
    private final Tags common;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final BoundedTags<TypeMeters> types;
    private final BoundedTags<HandlerMeters> handlers;
    private final TypeMeters noType;
    private final LongAdder[] rejections = adders(ErrorCode.values().length);
    private final LongAdder[] frames = adders(DeliveryOutcome.values().length);
    private final LongAdder[] removals = adders(RemovalReason.values().length);
    private final RouteTimes routeTimes = new RouteTimes();

    MeterObserver(Tags common, int maxTypeTags, int maxHandlerTags) {
        this.common = common;
        this.types = new BoundedTags<>(lock, maxTypeTags, this::newType, WsrouterMetrics.UNKNOWN_TYPE);
        this.handlers = new BoundedTags<>(lock, maxHandlerTags, this::newHandler, OTHER_HANDLER);
        this.noType = newType(NO_TYPE);
    }

    // ---------------------------------------------------------------- hot path

    @Override
    public void messageRouted(String type, String handler, RouteOutcome outcome, long nanos) {
        TypeMeters meters = type == null ? noType : types.find(type);
        if (meters == null) {
            // A type earns its own tag only once a handler took it (or failed on it): a client's
            // made-up types reach no handler, so they never do.
            meters = types.get(type, handler != null || outcome == RouteOutcome.FAILED);
        }
        meters.outcomes[outcome.ordinal()].increment();
        routeTimes.record(nanos);
        if (handler != null) {
            HandlerMeters h = handlers.get(handler, true);
            h.handled.increment();
            h.nanos.add(nanos);
        }
    }

    @Override
    public void messageRejected(ErrorCode code) {
        rejections[code.ordinal()].increment();
    }

    @Override
    public void handlerFailed(String handler, String type, Throwable error) {
        handlers.get(handler, true).errors.increment();
    }

    @Override
    public void framesDelivered(DeliveryOutcome outcome, long count) {
        frames[outcome.ordinal()].add(count);
    }

    @Override
    public void connectionRemoved(String userId, String connectionId, RemovalReason reason) {
        removals[reason.ordinal()].increment();
    }

    // ---------------------------------------------------------------- binding

    /** Registers every meter in the registry (once per registry); later types and handlers follow. */
    void bindTo(MeterRegistry registry) {
        synchronized (lock) {
            if (registries.contains(registry)) {
                return;
            }
            registries.add(registry);
            FunctionTimer.builder(WsrouterMetrics.ROUTE, routeTimes, RouteTimes::count, RouteTimes::totalNanos, TimeUnit.NANOSECONDS)
                    .description("Time of each routeMessage call: ingress, parsing and routing, rejected calls included")
                    .tags(common).register(registry);
            TimeGauge.builder(WsrouterMetrics.ROUTE_MAX, routeTimes, TimeUnit.NANOSECONDS, RouteTimes::maxNanos)
                    .description("The longest routeMessage call").tags(common).register(registry);
            for (double phi : WsrouterMetrics.PERCENTILES) {
                TimeGauge.builder(WsrouterMetrics.ROUTE_PERCENTILE, routeTimes, TimeUnit.NANOSECONDS, t -> t.percentileNanos(phi))
                        .description("Percentile of the routeMessage call times (the upper bound of its log-scale bucket, at most 25% high)")
                        .tags(common).tag("phi", phiTag(phi)).register(registry);
            }
            registerTypeCounters(registry, noType);
            registerTypeCounters(registry, types.overflow());
            types.admitted().forEach(t -> registerTypeCounters(registry, t));
            bindHandler(registry, handlers.overflow());
            handlers.admitted().forEach(h -> bindHandler(registry, h));
            for (ErrorCode code : ErrorCode.values()) {
                FunctionCounter.builder(WsrouterMetrics.REJECTED, rejections[code.ordinal()], LongAdder::doubleValue)
                        .description("Frames and messages refused with an error code (batch items and handler error replies included)")
                        .tags(common).tag("code", code.name()).register(registry);
            }
            for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
                FunctionCounter.builder(WsrouterMetrics.FRAMES, frames[outcome.ordinal()], LongAdder::doubleValue)
                        .description("Outbound frames by what became of them in the connection pool")
                        .baseUnit("frames").tags(common).tag("outcome", lower(outcome)).register(registry);
            }
            for (RemovalReason reason : RemovalReason.values()) {
                FunctionCounter.builder(WsrouterMetrics.REMOVED, removals[reason.ordinal()], LongAdder::doubleValue)
                        .description("Connections the pool removed, by reason")
                        .tags(common).tag("reason", lower(reason)).register(registry);
            }
        }
    }

    private TypeMeters newType(String tag) {
        TypeMeters meters = new TypeMeters(tag);
        registries.forEach(r -> registerTypeCounters(r, meters));
        return meters;
    }

    private void registerTypeCounters(MeterRegistry registry, TypeMeters meters) {
        for (RouteOutcome outcome : RouteOutcome.values()) {
            FunctionCounter.builder(WsrouterMetrics.MESSAGES, meters.outcomes[outcome.ordinal()], LongAdder::doubleValue)
                    .description("routeMessage calls by message type and outcome (a batch counts once)")
                    .baseUnit("messages").tags(common)
                    .tag("type", meters.tag).tag("outcome", lower(outcome))
                    .register(registry);
        }
    }

    private HandlerMeters newHandler(String name) {
        HandlerMeters meters = new HandlerMeters(name);
        registries.forEach(r -> bindHandler(r, meters));
        return meters;
    }

    private void bindHandler(MeterRegistry registry, HandlerMeters meters) {
        FunctionTimer.builder(WsrouterMetrics.HANDLER, meters, m -> m.handled.sum(), m -> m.nanos.sum(), TimeUnit.NANOSECONDS)
                .description("Time of the routeMessage calls each handler handled (its own time plus the routing around it)")
                .tags(common).tag("handler", meters.name)
                .register(registry);
        FunctionCounter.builder(WsrouterMetrics.HANDLER_ERRORS, meters.errors, LongAdder::doubleValue)
                .description("Exceptions thrown by handlers, the quality sub-dispatcher, JSON-RPC methods and the agent service")
                .baseUnit("errors").tags(common).tag("handler", meters.name)
                .register(registry);
    }

    /** @return the phi tag as Micrometer writes it for its own percentiles: {@code 0.5}, {@code 0.99} */
    static String phiTag(double phi) {
        return java.math.BigDecimal.valueOf(phi).stripTrailingZeros().toPlainString();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The counters of one type tag, one per {@link RouteOutcome}. */
    static final class TypeMeters {
        final String tag;
        final LongAdder[] outcomes = adders(RouteOutcome.values().length);

        TypeMeters(String tag) {
            this.tag = tag;
        }
    }

    /** The figures of one handler name: messages it handled and their route time, and its errors. */
    static final class HandlerMeters {
        final String name;
        final LongAdder handled = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder errors = new LongAdder();

        HandlerMeters(String name) {
            this.name = name;
        }
    }
}
