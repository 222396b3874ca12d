/**
 * Micrometer for wsrouter: {@link io.wsrouter.micrometer.WsrouterMetrics} (a {@code MeterBinder}
 * whose observer counts and times every routed message) and
 * {@link io.wsrouter.micrometer.WsrouterObservation} (an Observation, so a span with
 * micrometer-tracing, around every routed message and handler invocation). Both plug into the router
 * through core's {@code RoutingObserver} SPI; this module uses only public API of router-core.
 */
package io.wsrouter.micrometer;
