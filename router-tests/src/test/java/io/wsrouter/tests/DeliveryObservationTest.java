package io.wsrouter.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.DeliveryOutcome;
import io.wsrouter.core.RemovalReason;
import io.wsrouter.core.RoutingObserver;
import io.wsrouter.events.ConnectionPool;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The events pool reports every delivery outcome and removal to the router's observer (issue 13). */
class DeliveryObservationTest {

    private final Map<DeliveryOutcome, LongAdder> outcomes = new EnumMap<>(DeliveryOutcome.class);
    private final List<String> removals = new CopyOnWriteArrayList<>();
    private final RoutingObserver observer = new RoutingObserver() {
        @Override
        public void framesDelivered(DeliveryOutcome outcome, long frames) {
            outcomes.get(outcome).add(frames);
        }

        @Override
        public void connectionRemoved(String userId, String connectionId, RemovalReason reason) {
            removals.add(userId + " " + connectionId + " " + reason);
        }
    };
    private CanonicalMessageRouter router;

    DeliveryObservationTest() {
        for (DeliveryOutcome o : DeliveryOutcome.values()) {
            outcomes.put(o, new LongAdder());
        }
    }

    @AfterEach
    void close() {
        router.close();
    }

    private long seen(DeliveryOutcome outcome) {
        return outcomes.get(outcome).sum();
    }

    @Test
    void everySentFrameIsSeenAndMatchesThePoolsOwnCount() throws Exception {
        router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(new RecordingTransport()).build())
                .observer(observer)
                .build();
        router.registerConnection("alice", "a1");
        router.registerConnection("alice", "a2");
        for (int i = 0; i < 5; i++) {
            router.emitToUser("alice", "tick", Map.of("i", i));
        }
        router.routeMessage("alice", "a1", "{\"type\":\"ping\"}");
        Await.until("11 frames seen as sent", () -> seen(DeliveryOutcome.SENT) == 11);
        assertThat(router.statistics().delivery().framesSent()).isEqualTo(seen(DeliveryOutcome.SENT));
        assertThat(seen(DeliveryOutcome.FAILED)).isZero();
        router.unregisterConnection("a2");
        assertThat(removals).containsExactly("alice a2 UNREGISTERED");
    }

    @Test
    void failingSendsAreSeenAndTheRemovalIsSeenAsFailing() throws Exception {
        FaultyTransport transport = new FaultyTransport(new RecordingTransport(), 1);
        transport.breakConnection("b1");
        router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).maxConsecutiveFailures(3).build())
                .observer(observer)
                .build();
        router.registerConnection("bob", "b1");
        for (int i = 0; i < 10 && removals.isEmpty(); i++) {
            router.emitToUser("bob", "tick", Map.of("i", i));
        }
        Await.until("the failing connection is removed", () -> !removals.isEmpty());
        assertThat(removals).containsExactly("bob b1 FAILING");
        assertThat(seen(DeliveryOutcome.FAILED)).isEqualTo(router.statistics().delivery().sendFailures()).isPositive();
        assertThat(seen(DeliveryOutcome.SENT)).isZero();
    }
}
