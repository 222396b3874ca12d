package io.wsrouter.core;

/**
 * SPI: a connection pool, both halves: {@link ConnectionOwnership} (who owns which connection) and
 * {@link FrameDelivery} (how frames reach them). Router-core defines it; the connection pool of
 * {@code router-events} ({@code io.wsrouter.events.ConnectionPool}) implements it, and the router
 * takes one through {@link CanonicalMessageRouter.Builder#connectionPool(ConnectionRegistry)}.
 *
 * <p>Inside the router, delivery goes through the {@link FrameDelivery} half only, so intercepting
 * delivery means decorating three methods, not this whole interface.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use by many threads, without
 * a global lock on the send path.
 *
 * <pre>{@code
 * ConnectionRegistry pool = ConnectionPool.builder(manager).build();   // io.wsrouter.events
 * CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(pool).build();
 * }</pre>
 */
public interface ConnectionRegistry extends ConnectionOwnership, FrameDelivery {
}
