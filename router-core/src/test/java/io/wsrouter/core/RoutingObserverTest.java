package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RoutingObserverTest {

    /** Records every hook as one line. */
    static final class Recording implements RoutingObserver {
        final String name;
        final List<String> events;

        Recording(String name, List<String> events) {
            this.name = name;
            this.events = events;
        }

        @Override
        public void messageRouted(String type, String handler, RouteOutcome outcome, long nanos) {
            events.add(name + " routed " + type + " " + handler + " " + outcome + (nanos >= 0 ? "" : " negative"));
        }

        @Override
        public void messageRejected(ErrorCode code) {
            events.add(name + " rejected " + code);
        }

        @Override
        public void handlerFailed(String handler, String type, Throwable error) {
            events.add(name + " failed " + handler + " " + type + " " + error.getMessage());
        }

        @Override
        public RouteOutcome observeRoute(Message message, RouteCall route) {
            events.add(name + " route> " + message.type());
            RouteOutcome outcome = route.proceed();
            events.add(name + " route< " + outcome);
            return outcome;
        }

        @Override
        public boolean observeHandler(String handler, Message message, HandlerCall call) throws Exception {
            events.add(name + " handler> " + handler);
            try {
                return call.proceed();
            } finally {
                events.add(name + " handler< " + handler);
            }
        }

        @Override
        public void connectionRemoved(String userId, String connectionId, RemovalReason reason) {
            events.add(name + " removed " + userId + " " + connectionId + " " + reason);
        }
    }

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final RecordingRegistry registry = new RecordingRegistry();

    private CanonicalMessageRouter router(RoutingObserver... observers) {
        CanonicalMessageRouter.Builder b = CanonicalMessageRouter.builder().connectionPool(registry);
        for (RoutingObserver o : observers) {
            b.observer(o);
        }
        return b.build();
    }

    @Test
    void aHandledMessageIsSeenWithItsTypeHandlerAndOutcomeAndItsHandlerCallIsWrapped() {
        CanonicalMessageRouter router = router(new Recording("o", events));
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(events).containsExactly("o route> ping", "o handler> HeartbeatHandler", "o handler< HeartbeatHandler",
                "o route< HANDLED", "o routed ping HeartbeatHandler HANDLED");
    }

    @Test
    void anUnknownTypeIsSeenAsUnhandledWithNoHandler() {
        CanonicalMessageRouter router = router(new Recording("o", events));
        router.routeMessage("alice", "c1", "{\"type\":\"no_such_type\"}");
        assertThat(events).containsExactly("o route> no_such_type", "o route< UNHANDLED", "o routed no_such_type null UNHANDLED");
    }

    @Test
    void aFrameRefusedAtIngressIsSeenAsARejectionWithItsCodeAndARejectedRoute() {
        CanonicalMessageRouter router = router(new Recording("o", events));
        assertThat(router.routeMessage("alice", "c1", "{not json")).isFalse();
        assertThat(events).containsExactly("o rejected INVALID_JSON", "o routed null null REJECTED");
        assertThat(router.statistics().rejectionsByCode()).containsEntry("INVALID_JSON", 1L);
    }

    @Test
    void aHandlerThatThrowsIsSeenAsAFailureAndTheRouteAsFailed() {
        CanonicalMessageRouter router = router(new Recording("o", events));
        router.addCustomHandler(new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("boom");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) {
                throw new IllegalStateException("kaput");
            }

            @Override
            public String name() {
                return "Bomb";
            }
        });
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"boom\"}")).isFalse();
        assertThat(events).containsExactly("o route> boom", "o handler> Bomb", "o handler< Bomb",
                "o failed Bomb boom kaput", "o rejected HANDLER_ERROR", "o route< FAILED", "o routed boom null FAILED");
        assertThat(router.statistics().handlerErrors()).isEqualTo(1);
    }

    @Test
    void batchItemsAreSeenAsRoutesNestedInTheBatchAndTheCallIsSeenOnce() {
        CanonicalMessageRouter router = router(new Recording("o", events));
        router.routeMessage("alice", "c1", "{\"type\":\"batch\",\"payload\":{\"messages\":[{\"type\":\"ping\"}]}}");
        assertThat(events).containsExactly("o route> batch", "o handler> BatchMessageHandler",
                "o route> ping", "o handler> HeartbeatHandler", "o handler< HeartbeatHandler", "o route< HANDLED",
                "o handler< BatchMessageHandler", "o route< HANDLED", "o routed batch BatchMessageHandler HANDLED");
    }

    @Test
    void severalObserversAreCalledInOrderAndTheFirstWrapsOutermost() {
        CanonicalMessageRouter router = router(new Recording("a", events), new Recording("b", events));
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        assertThat(events).containsExactly("a route> ping", "b route> ping",
                "a handler> HeartbeatHandler", "b handler> HeartbeatHandler",
                "b handler< HeartbeatHandler", "a handler< HeartbeatHandler",
                "b route< HANDLED", "a route< HANDLED",
                "a routed ping HeartbeatHandler HANDLED", "b routed ping HeartbeatHandler HANDLED");
    }

    @Test
    void aConnectionThePoolRemovesIsSeenWithItsReason() {
        CanonicalMessageRouter router = router(new Recording("o", events));
        router.registerConnection("alice", "c1");
        router.unregisterConnection("c1");
        assertThat(events).containsExactly("o removed alice c1 UNREGISTERED");
    }

    @Test
    void aSlowMessageCannotSlipPastTheMaxBecauseEveryCallIsTimed() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(registry).build();
        router.addCustomHandler(new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("slow");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) throws InterruptedException {
                Thread.sleep(30);
                return true;
            }
        });
        for (int i = 0; i < 200; i++) {
            router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        }
        router.routeMessage("alice", "c1", "{\"type\":\"slow\"}");
        RoutingTime time = router.statistics().routingTime();
        assertThat(time.count()).isEqualTo(201);
        assertThat(time.maxNanos()).isGreaterThanOrEqualTo(30_000_000L);
        assertThat(time.p50Nanos()).isLessThanOrEqualTo(time.p90Nanos());
        assertThat(time.p90Nanos()).isLessThanOrEqualTo(time.p99Nanos());
        assertThat(time.p99Nanos()).isLessThanOrEqualTo(time.maxNanos());
        assertThat(router.statistics().toMap()).extractingByKey("routing_time")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("count", "average_ms", "max_ms", "p50_ms", "p90_ms", "p99_ms");
    }
}
