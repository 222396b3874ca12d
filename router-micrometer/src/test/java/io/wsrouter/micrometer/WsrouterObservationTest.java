package io.wsrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WsrouterObservationTest {

    private final SimpleTracer tracer = new SimpleTracer();
    private final ObservationRegistry observations = ObservationRegistry.create();
    private final CanonicalMessageRouter router;

    WsrouterObservationTest() {
        observations.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(new Fixtures.RecordingManager()).build())
                .customHandler(new Fixtures.Bomb())
                .observer(WsrouterObservation.observer(observations))
                .build();
    }

    @AfterEach
    void close() {
        router.close();
    }

    private List<SimpleSpan> spans() {
        return List.copyOf(tracer.getSpans());
    }

    @Test
    void aHandledMessageIsOneSpanWithItsTypeAndOutcomeAndAChildSpanForItsHandler() {
        assertThat(router.routeMessage("alice", "c1", Fixtures.frame("ping"))).isTrue();

        List<SimpleSpan> spans = spans();
        assertThat(spans).extracting(SimpleSpan::getName).containsExactly("route ping", "handle HeartbeatHandler");
        SimpleSpan route = spans.get(0);
        SimpleSpan handle = spans.get(1);
        assertThat(route.getTags()).containsAllEntriesOf(Map.of("type", "ping", "outcome", "handled", "message_type", "ping"));
        assertThat(handle.getTags()).containsAllEntriesOf(Map.of("handler", "HeartbeatHandler", "type", "ping", "outcome", "handled"));
        assertThat(handle.getParentId()).isEqualTo(route.getSpanId());
        assertThat(handle.getTraceId()).isEqualTo(route.getTraceId());
        assertThat(route.getEndTimestamp()).isAfterOrEqualTo(handle.getEndTimestamp());
    }

    @Test
    void anUnknownTypeIsTaggedUnknownWithTheRawTypeAsAHighCardinalityValue() {
        router.routeMessage("alice", "c1", Fixtures.frame("made_up"));
        assertThat(spans()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("route unknown");
            assertThat(span.getTags()).containsAllEntriesOf(Map.of("type", "unknown", "outcome", "unhandled", "message_type", "made_up"));
        });
    }

    @Test
    void aFailingHandlersSpanCarriesItsErrorAndTheMessageSpanTheFailedOutcome() {
        assertThat(router.routeMessage("alice", "c1", Fixtures.frame("boom"))).isFalse();
        List<SimpleSpan> spans = spans();
        assertThat(spans).extracting(SimpleSpan::getName).containsExactly("route boom", "handle Bomb");
        assertThat(spans.get(1).getError()).isInstanceOf(IllegalStateException.class).hasMessage("kaput");
        assertThat(spans.get(1).getTags()).containsEntry("outcome", "error");
        assertThat(spans.get(0).getTags()).containsEntry("outcome", "failed").containsEntry("type", "boom");
        assertThat(spans.get(0).getError()).isNull();
    }

    @Test
    void aFrameRejectedBeforeParsingOpensNoSpan() {
        assertThat(router.routeMessage("alice", "c1", "{not json")).isFalse();
        assertThat(spans()).isEmpty();
    }

    @Test
    void everyObservationIsStoppedWithItsScopeClosedAndTaggedWithTypeAndOutcome() {
        TestObservationRegistry test = TestObservationRegistry.create();
        try (CanonicalMessageRouter observed = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(new Fixtures.RecordingManager()).build())
                .customHandler(new Fixtures.Bomb())
                .observer(WsrouterObservation.observer(test)).build()) {
            observed.routeMessage("bob", "c2", Fixtures.frame("ping"));
            observed.routeMessage("bob", "c2", Fixtures.frame("boom"));
            observed.routeMessage("bob", "c2", Fixtures.frame("nobody"));
        }
        TestObservationRegistryAssert.assertThat(test)
                .doesNotHaveAnyRemainingCurrentObservation()
                .hasNumberOfObservationsWithNameEqualTo(WsrouterObservation.ROUTE, 3)
                .hasNumberOfObservationsWithNameEqualTo(WsrouterObservation.HANDLE, 2)
                .forAllObservationsWithNameEqualTo(WsrouterObservation.ROUTE, o -> o.hasLowCardinalityKeyValueWithKey("outcome").hasLowCardinalityKeyValueWithKey("type"));
    }

    @Test
    void theObserverNeedsARegistryAndAPositiveBound() {
        assertThatThrownBy(() -> WsrouterObservation.observer(null))
                .isInstanceOf(NullPointerException.class).hasMessage("registry");
        assertThatThrownBy(() -> WsrouterObservation.observer(observations, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTypeTags must be > 0 but was 0");
    }
}
