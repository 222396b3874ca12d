/**
 * Connection pool and outbound delivery for {@code io.wsrouter.core.CanonicalMessageRouter}.
 *
 * <ul>
 *   <li>{@link io.wsrouter.events.ConnectionPool}: who owns which connection, idle expiry, and
 *       per-connection ordered, bounded, non-blocking delivery; built with
 *       {@link io.wsrouter.events.ConnectionPool#builder(WebSocketManager)}.</li>
 *   <li>{@link io.wsrouter.events.WebSocketManager}: the transport SPI the host implements.</li>
 *   <li>{@link io.wsrouter.events.OverflowPolicy}: what a full outbound queue does.</li>
 *   <li>{@link io.wsrouter.events.AgentEvents}: typed agent events over an
 *       {@link io.wsrouter.core.AgentRun}.</li>
 * </ul>
 *
 * <pre>{@code
 * ConnectionPool pool = ConnectionPool.builder(manager).build();
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).build();
 * }</pre>
 */
package io.wsrouter.events;
