package io.wsrouter.core;

/**
 * SPI: sees everything the router does, as it happens, without polling: every routed message (type,
 * the handler that took it, outcome, nanoseconds), every rejection (its code), every handler failure,
 * every delivery outcome (through {@link DeliveryObserver}) and every connection removed (with its
 * {@link RemovalReason}); and it can wrap a route and a handler invocation, so that a tracing bridge
 * can open a span around them. Every method has a default that does nothing (or just proceeds), so an
 * observer overrides only what it needs.
 *
 * <p>Install with {@link CanonicalMessageRouter.Builder#observer(RoutingObserver)} (several may be
 * added; they are called in order). A router without observers calls nothing: its hot path holds one
 * null check per hook, which the JIT folds away (measured with router-bench W1, paired).
 *
 * <p><b>Threads:</b> every method is called on the routing or delivery thread where the event
 * happens, from many threads at once. Implementations must be thread-safe and fast, must not block
 * and must not throw: an exception thrown by a notification method is not caught, and propagates
 * into the route (a bug in the observer, not the client's fault). The wrapping methods must call
 * {@code proceed()} exactly once and return its result.
 *
 * <pre>{@code
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(pool)
 *         .observer(new RoutingObserver() {
 *             public void messageRouted(String type, String handler, RouteOutcome outcome, long nanos) {
 *                 if (nanos > 1_000_000_000L) log.warn("slow route: {} by {} took {} ns", type, handler, nanos);
 *             }
 *             public void messageRejected(ErrorCode code) { rejections.increment(code); }
 *         })
 *         .build();
 * }</pre>
 */
public interface RoutingObserver extends DeliveryObserver {

    /**
     * One call of a {@code routeMessage} entry ended: called exactly once per call, rejected ones
     * included, with the time the whole call took (ingress, parsing and routing). A batch counts as
     * one call (its items are seen by {@link #observeRoute}).
     *
     * @param type    the canonical message type, or null when the frame was rejected before it was parsed
     * @param handler the name of the handler that handled it ({@code "quality"} for the quality
     *                sub-dispatcher), or null when none did
     * @param outcome how it ended
     * @param nanos   the wall time of the call, in nanoseconds
     */
    default void messageRouted(String type, String handler, RouteOutcome outcome, long nanos) {
    }

    /**
     * A frame or message was refused with an error code (also a batch item, and an error a handler
     * answered with {@link RoutingContext#replyError}).
     *
     * @param code the error code the sender got
     */
    default void messageRejected(ErrorCode code) {
    }

    /**
     * A handler, the quality sub-dispatcher, a JSON-RPC method or the agent service threw on a message.
     *
     * @param handler the name of what failed
     * @param type    the message type, or null when unknown (a JSON-RPC method inside a batch)
     * @param error   what it threw
     */
    default void handlerFailed(String handler, String type, Throwable error) {
    }

    /**
     * Wraps steps 2-6 of the pipeline for one parsed message (each item of a batch too, nested in the
     * batch's own route). A tracing bridge opens a span here, tagged with {@code message.type()} and
     * the returned outcome.
     *
     * @param message the message about to be routed
     * @param route   proceeds with routing; call exactly once
     * @return what {@code route.proceed()} returned
     */
    default RouteOutcome observeRoute(Message message, RouteCall route) {
        return route.proceed();
    }

    /**
     * Wraps one handler invocation ({@code handle}), inside {@link #observeRoute}.
     *
     * @param handler the handler's name
     * @param message the message it handles
     * @param call    invokes the handler; call exactly once and let its exception propagate
     * @return what {@code call.proceed()} returned
     * @throws Exception what the handler threw (the router counts it as a handler error)
     */
    default boolean observeHandler(String handler, Message message, HandlerCall call) throws Exception {
        return call.proceed();
    }

    /** Frames reached an outcome in the connection pool (only from pools that report them). */
    @Override
    default void framesDelivered(DeliveryOutcome outcome, long frames) {
    }

    /**
     * The connection pool removed a connection.
     *
     * @param userId       the user the connection belonged to
     * @param connectionId the connection that is gone
     * @param reason       why; never null
     */
    default void connectionRemoved(String userId, String connectionId, RemovalReason reason) {
    }

    /** The rest of a route, handed to {@link #observeRoute}. */
    @FunctionalInterface
    interface RouteCall {
        /** {@return the route's outcome} */
        RouteOutcome proceed();
    }

    /** One handler invocation, handed to {@link #observeHandler}. */
    @FunctionalInterface
    interface HandlerCall {
        /**
         * {@return whether the handler handled the message}
         * @throws Exception what the handler threw
         */
        boolean proceed() throws Exception;
    }
}
