package io.wsrouter.bench;

import io.wsrouter.core.Broker;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.RoutingObserver;
import io.wsrouter.events.ConnectionPool;

/** Builds wsrouter as the benchmarks use it: the default settings, a {@link ConnectionPool} over the counting transport. */
final class WsrouterSetup {

    private WsrouterSetup() {
    }

    /**
     * W1: the default built-ins, {@code extra} custom handlers and the user_message handler, with the
     * connections of the first {@code threads} benchmark threads registered.
     */
    static CanonicalMessageRouter routeRouter(CountingTransport transport, int extra, ContentSink sink, int threads) {
        return routeRouter(transport, extra, sink, threads, null);
    }

    /** W1 with an observer installed (null: none), to measure what observation costs. */
    static CanonicalMessageRouter routeRouter(CountingTransport transport, int extra, ContentSink sink, int threads,
                                              RoutingObserver observer) {
        CanonicalMessageRouter.Builder builder = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build());
        if (observer != null) {
            builder.observer(observer);
        }
        WsrouterHandlers.register(builder, extra, sink);
        CanonicalMessageRouter router = builder.build();
        for (int t = 0; t < threads; t++) {
            if (!router.registerConnection(Workloads.userId(t), RouteBenchmark.Connection.connectionId(t))) {
                throw new IllegalStateException("cannot register the connection of thread " + t);
            }
        }
        return router;
    }

    /** W2/W3: a router over a pool holding every connection of the population. */
    static CanonicalMessageRouter emitRouter(CountingTransport transport, Population population) {
        return emitRouter(transport, population, Broker.inMemory());
    }

    /** W2 with a given broker (the default in-memory one, or the unsequenced baseline). */
    static CanonicalMessageRouter emitRouter(CountingTransport transport, Population population, Broker broker) {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build())
                .broker(broker)
                .build();
        for (int c = 0; c < population.connections.length; c++) {
            if (!router.registerConnection(population.ownerOf(c), population.connections[c])) {
                throw new IllegalStateException("cannot register connection " + c);
            }
        }
        return router;
    }
}
