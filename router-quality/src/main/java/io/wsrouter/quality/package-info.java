/**
 * Quality routing for {@link io.wsrouter.core.CanonicalMessageRouter}: the
 * {@link io.wsrouter.quality.QualityDispatcher} sub-dispatcher (five message types), the
 * {@link io.wsrouter.quality.QualityGateService} with its default heuristic gate, and the
 * {@link io.wsrouter.quality.QualityMonitoringService} with its default in-memory monitor.
 *
 * <pre>{@code
 * QualityDispatcher quality = QualityDispatcher.builder().build();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).quality(quality).build();
 * }</pre>
 */
package io.wsrouter.quality;
