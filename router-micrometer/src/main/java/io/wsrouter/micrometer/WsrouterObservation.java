package io.wsrouter.micrometer;

import io.micrometer.observation.ObservationRegistry;
import io.wsrouter.core.RoutingObserver;
import java.util.Objects;

/**
 * Micrometer Observations around every routed message and every handler invocation, so that an
 * application with micrometer-tracing (the OpenTelemetry or Brave bridge) gets one span per message,
 * with a child span per handler invoked, and any other {@code ObservationHandler} sees them too.
 *
 * <ul>
 *   <li>{@value #ROUTE}: one per parsed message (each item of a batch too, nested in the batch's);
 *       contextual name {@code "route <type>"}; low-cardinality key values {@code type} (bounded as in
 *       {@link WsrouterMetrics}: {@code unknown} for types no handler took) and {@code outcome}
 *       ({@code handled}, {@code unhandled}, {@code failed}, {@code rejected}); high-cardinality
 *       {@code message_type}, the type as the client sent it (after the alias map).</li>
 *   <li>{@value #HANDLE}: one per handler invocation inside it; contextual name
 *       {@code "handle <handler>"}; low-cardinality {@code handler}, {@code type} and {@code outcome}
 *       ({@code handled}, {@code declined}, {@code error}); a handler's exception is recorded as the
 *       observation's error.</li>
 * </ul>
 * Frames refused before they were parsed are not observed (there is no message yet); the meters of
 * {@link WsrouterMetrics} count them.
 *
 * <p>The observation's scope is open while the message is routed, so spans a handler opens (a
 * database call, an HTTP client) become children of the message's span.
 *
 * <pre>{@code
 * ObservationRegistry observations = ...;   // Spring Boot: the auto-configured bean
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder()
 *         .connectionPool(pool)
 *         .observer(metrics.observer())                          // meters, if wanted
 *         .observer(WsrouterObservation.observer(observations))  // spans
 *         .build();
 * }</pre>
 *
 * <p><b>Cost:</b> an Observation per message and per handler call (a few allocations each); with a
 * no-op registry, one check. Meters that must see every message at the lowest cost come from
 * {@link WsrouterMetrics}, not from a meter handler on these observations (whose timers would be
 * named after the observations, tagged with the bounded keys above).
 *
 * <p><b>Thread safety:</b> the observer is safe for concurrent use.
 */
public final class WsrouterObservation {

    /** The observation around one routed message. */
    public static final String ROUTE = "wsrouter.message.route";
    /** The observation around one handler invocation. */
    public static final String HANDLE = "wsrouter.message.handle";

    private WsrouterObservation() {
    }

    /**
     * Creates an observer that opens an Observation per routed message and per handler call.
     *
     * @param registry where the observations go
     * @return a new observer to install with {@code CanonicalMessageRouter.Builder.observer(...)}
     * @throws NullPointerException when registry is null
     */
    public static RoutingObserver observer(ObservationRegistry registry) {
        return observer(registry, WsrouterMetrics.DEFAULT_MAX_TYPE_TAGS);
    }

    /**
     * Creates an observer that opens an Observation per routed message and per handler call, with its own bound on {@code type} values.
     *
     * @param registry    where the observations go
     * @param maxTypeTags the most message types with a {@code type} value of their own
     * @return a new observer to install with {@code CanonicalMessageRouter.Builder.observer(...)}
     * @throws NullPointerException     when registry is null
     * @throws IllegalArgumentException when maxTypeTags is not positive
     */
    public static RoutingObserver observer(ObservationRegistry registry, int maxTypeTags) {
        Objects.requireNonNull(registry, "registry");
        if (maxTypeTags <= 0) {
            throw new IllegalArgumentException("maxTypeTags must be > 0 but was " + maxTypeTags);
        }
        return new ObservingObserver(registry, maxTypeTags);
    }
}
