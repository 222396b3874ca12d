package io.wsrouter.jetty;

import java.time.Duration;

/**
 * What each socket of the endpoint is configured with when it opens.
 *
 * @param idleTimeout     Jetty's idle timeout for the socket, aligned with the pool's
 * @param maxMessageBytes the largest text (and binary) message Jetty buffers: the router's frame limit
 */
record SocketSettings(Duration idleTimeout, int maxMessageBytes) {
}
