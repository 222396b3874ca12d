package io.wsrouter.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The routing pipeline of DESIGN section 2: the {@code routeMessage} entries (ingress, then steps
 * 2-6, timed) and {@link #route}, steps 2-6 for one parsed message (also each item of a batch):
 * quality sub-dispatcher, connection events, handler chain, fallback. Every call of an entry is
 * timed (two {@link System#nanoTime()} reads) and reported once through {@link Telemetry#routed}.
 *
 * <p>Thread-safe: it holds only immutable collaborators and reads the chain snapshot once per route.
 */
final class Pipeline {

    /** The handler name reported for messages the quality sub-dispatcher handled. */
    static final String QUALITY = "quality";

    private final Ingress ingress;
    private final HandlerTable handlers;
    private final Outbound out;
    private final Telemetry telemetry;
    private final StatisticsRecorder recorder;
    /** The quality sub-dispatcher, or null. */
    private final SubDispatcher quality;
    private final Set<String> qualityTypes;

    Pipeline(Ingress ingress, HandlerTable handlers, Outbound out, Telemetry telemetry, SubDispatcher quality) {
        this.ingress = ingress;
        this.handlers = handlers;
        this.out = out;
        this.telemetry = telemetry;
        this.recorder = telemetry.recorder;
        this.quality = quality;
        this.qualityTypes = quality == null ? Set.of() : Set.copyOf(quality.claimedTypes());
    }

    // ---------------------------------------------------------------- entries (timed, reported once)

    /** A raw frame from a transport connection. */
    boolean routeFrame(String userId, String connectionId, String frame) {
        long start = System.nanoTime();
        if (out.isClosed()) {
            return closed(start);
        }
        if (!ingress.admit(userId, connectionId) || !ingress.acquire(userId, connectionId, 1)) {
            return finish(start, null, null, RouteOutcome.REJECTED);
        }
        Message message = ingress.parse(userId, connectionId, frame);
        if (message == null) {
            return finish(start, null, null, RouteOutcome.REJECTED);
        }
        if (ingress.rateLimited() && !ingress.acquire(userId, connectionId, FloodGate.entries(message) - 1)) {
            return finish(start, message.type(), null, RouteOutcome.REJECTED);
        }
        return run(start, userId, connectionId, message);
    }

    /** A parsed message from a transport connection. */
    boolean routeMessage(String userId, String connectionId, Message message) {
        long start = System.nanoTime();
        if (out.isClosed()) {
            return closed(start);
        }
        if (!ingress.admit(userId, connectionId) || !ingress.acquire(userId, connectionId, FloodGate.entries(message))) {
            return finish(start, message.type(), null, RouteOutcome.REJECTED);
        }
        return run(start, userId, connectionId, message);
    }

    /** A parsed message without a transport connection: replies go to the owned {@code connection_id}, else the user. */
    boolean routeConnectionless(String userId, Message message) {
        long start = System.nanoTime();
        if (out.isClosed()) {
            return closed(start);
        }
        return run(start, userId, ingress.ownedConnection(userId, message), message);
    }

    /** A raw frame without a transport connection; parsed and rejected like any frame, no rate limit. */
    boolean routeConnectionlessFrame(String userId, String frame) {
        long start = System.nanoTime();
        if (out.isClosed()) {
            return closed(start);
        }
        Message message = ingress.parse(userId, null, frame);
        if (message == null) {
            return finish(start, null, null, RouteOutcome.REJECTED);
        }
        return run(start, userId, ingress.ownedConnection(userId, message), message);
    }

    private boolean closed(long start) {
        telemetry.rejected(ErrorCode.ROUTER_CLOSED);
        return finish(start, null, null, RouteOutcome.REJECTED);
    }

    private boolean run(long start, String userId, String connectionId, Message message) {
        Route ctx = new Route(out, telemetry, userId, connectionId, message);
        RouteOutcome outcome = route(ctx);
        return finish(start, message.type(), ctx.handledBy(), outcome);
    }

    private boolean finish(long start, String type, String handler, RouteOutcome outcome) {
        telemetry.routed(type, handler, outcome, System.nanoTime() - start);
        return outcome == RouteOutcome.HANDLED || outcome == RouteOutcome.UNHANDLED;
    }

    // ---------------------------------------------------------------- steps 2-6

    /** Steps 2-6 for a parsed message of an admitted connection (batch items come through here). */
    RouteOutcome route(String userId, String connectionId, Message message) {
        return route(new Route(out, telemetry, userId, connectionId, message));
    }

    private RouteOutcome route(Route ctx) {
        RoutingObserver observer = telemetry.observer;
        return observer == null ? steps(ctx) : observer.observeRoute(ctx.message(), () -> steps(ctx));
    }

    private RouteOutcome steps(Route ctx) {
        Message message = ctx.message();
        String type = message.type();
        recorder.routed.increment();
        HandlerChain snapshot = handlers.snapshot();
        if (!recorder.countKnownType(type)) {
            recorder.countType(type, t -> MessageTypes.CANONICAL.contains(t) || snapshot.claims(t) || qualityTypes.contains(t));
        }
        if (qualityTypes.contains(type)) {
            return dispatchQuality(ctx, message);
        }
        boolean disconnect = "disconnect".equals(type);
        if (disconnect || "connect".equals(type)) {
            recorder.connectionEvents.increment();
        }
        RouteOutcome outcome = dispatch(snapshot, ctx, message);
        if (disconnect) {
            ingress.disconnect(ctx.userId(), ctx.connectionIdOrNull());
        }
        return outcome;
    }

    private RouteOutcome dispatchQuality(Route ctx, Message message) {
        recorder.quality.increment();
        boolean handled;
        try {
            RoutingObserver observer = telemetry.observer;
            handled = observer == null ? quality.dispatch(ctx, message)
                    : observer.observeHandler(QUALITY, message, () -> quality.dispatch(ctx, message));
        } catch (Throwable e) {
            rethrowIfFatal(e);
            telemetry.handlerFailed("quality sub-dispatcher", QUALITY, message, ctx.userId(), e);
            ctx.replyError(ErrorCode.HANDLER_ERROR, "the quality handler failed");
            return RouteOutcome.FAILED;
        }
        if (ctx.failed()) {
            return RouteOutcome.FAILED;
        }
        if (handled) {
            ctx.handledBy(QUALITY);
            return RouteOutcome.HANDLED;
        }
        return fallback(ctx, message);
    }

    private RouteOutcome dispatch(HandlerChain snapshot, Route ctx, Message message) {
        boolean failedHandler = false;
        RoutingObserver observer = telemetry.observer;
        for (HandlerChain.Slot slot : snapshot.candidates(message.type())) {
            try {
                if (slot.refines && !slot.handler.canHandle(message)) {
                    continue;
                }
                boolean handled = observer == null ? slot.handler.handle(ctx, message)
                        : observer.observeHandler(slot.name, message, () -> slot.handler.handle(ctx, message));
                if (handled) {
                    slot.counters.handled.increment();
                    ctx.handledBy(slot.name);
                    return ctx.failed() ? RouteOutcome.FAILED : RouteOutcome.HANDLED;
                }
            } catch (Throwable e) {
                rethrowIfFatal(e);
                failedHandler = true;
                slot.counters.errors.increment();
                telemetry.handlerFailed("handler " + slot.name, slot.name, message, ctx.userId(), e);
            }
        }
        if (ctx.failed()) {
            return RouteOutcome.FAILED; // a handler already answered with an error, then declined
        }
        if (failedHandler) {
            ctx.replyError(ErrorCode.HANDLER_ERROR, "the handler for '" + message.type() + "' failed");
            return RouteOutcome.FAILED;
        }
        return fallback(ctx, message);
    }

    /**
     * A handler's failure must not take the router down, so every throwable is caught except those
     * after which the JVM cannot be trusted: {@link OutOfMemoryError}, {@link InternalError} and
     * {@link UnknownError} ({@link VirtualMachineError}s other than {@link StackOverflowError}, which
     * only unwound the handler's own deep recursion). An interrupt is kept for the caller.
     */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    private RouteOutcome fallback(Route ctx, Message message) {
        recorder.unhandled.increment();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("received_type", message.rawType());
        data.put("status", "acknowledged");
        ctx.reply("ack", data);
        return RouteOutcome.UNHANDLED;
    }
}
