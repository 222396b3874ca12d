/**
 * The canonical WebSocket message router.
 *
 * <ul>
 *   <li>{@link io.wsrouter.core.CanonicalMessageRouter}: the one routing path, built with
 *       {@link io.wsrouter.core.CanonicalMessageRouter#builder()}: every inbound frame goes through
 *       {@code routeMessage}, every outbound event through {@code emitToUser}.</li>
 *   <li>{@link io.wsrouter.core.Message}, {@link io.wsrouter.core.MessageLimits},
 *       {@link io.wsrouter.core.ErrorCode}, {@link io.wsrouter.core.MessageFormatException}: the wire
 *       message, parsed under limits, and the stable codes of every rejection.</li>
 *   <li>{@link io.wsrouter.core.MessageHandler} and {@link io.wsrouter.core.RoutingContext}: custom
 *       handlers and what they may do (reply to the sender, emit to the sender's user).</li>
 *   <li>SPIs other modules implement: {@link io.wsrouter.core.ConnectionRegistry} (the connection pool
 *       of {@code router-events}), {@link io.wsrouter.core.SubDispatcher} (the quality dispatcher of
 *       {@code router-quality}), {@link io.wsrouter.core.AgentService} (the host's agents).</li>
 *   <li>{@link io.wsrouter.core.RoutingStatistics}: an immutable snapshot of the figures.</li>
 * </ul>
 *
 * <p>Every public type says what it does, its thread safety and its errors; everything else in this
 * package is package-private implementation.
 *
 * <pre>{@code
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).build();
 * router.routeMessage(userId, connectionId, text);
 * }</pre>
 */
package io.wsrouter.core;
