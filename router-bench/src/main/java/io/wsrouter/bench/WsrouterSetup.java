package io.wsrouter.bench;

import io.wsrouter.core.CanonicalMessageRouter;

/** Builds wsrouter as the benchmarks use it. */
final class WsrouterSetup {

    private WsrouterSetup() {
    }

    /**
     * W1: the default built-ins, {@code extra} custom handlers and the user_message handler.
     * Without a connection pool until router-events is on main.
     */
    static CanonicalMessageRouter routeRouter(CountingTransport transport, int extra, ContentSink sink) {
        CanonicalMessageRouter.Builder builder = CanonicalMessageRouter.builder();
        WsrouterHandlers.register(builder, extra, sink);
        return builder.build();
    }
}
