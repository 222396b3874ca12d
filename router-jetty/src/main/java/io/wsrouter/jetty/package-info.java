/**
 * The canonical router behind a Jetty 12 WebSocket endpoint: {@link io.wsrouter.jetty.JettyRouterEndpoint}
 * is the one entry; everything else is glue (the transport the pool writes through, the handshake
 * checks, the per-socket listener, closing by removal reason).
 */
package io.wsrouter.jetty;
