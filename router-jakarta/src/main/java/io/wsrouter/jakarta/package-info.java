/**
 * The canonical router behind Jakarta WebSocket 2.1 (Tomcat 10.1/11, Jetty 12 ee10, Undertow 2.3).
 *
 * <p>{@link io.wsrouter.jakarta.RouterServlet} is the entry point: a servlet at the WebSocket path that
 * checks the Origin, authenticates the handshake and upgrades it to an endpoint that registers,
 * routes and unregisters through the router. {@link io.wsrouter.jakarta.JakartaSessions} is the
 * transport under the connection pool (non-blocking sends, closes by removal reason);
 * {@link io.wsrouter.jakarta.RouterConnection} is the per-connection glue, reused by router-spring.
 */
package io.wsrouter.jakarta;
