package io.wsrouter.tests;

import static io.wsrouter.tests.ScriptedAgentService.FIVE_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingStatistics;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.quality.QualityDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The unit six of the SSOT suite. */
@Tag("ssot")
class SsotUnitTest {

    private final RecordingTransport transport = new RecordingTransport();
    private final ScriptedAgentService agents = new ScriptedAgentService();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private CanonicalMessageRouter router() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build())
                .agentService(agents)
                .build();
        toClose.add(router);
        return router;
    }

    // ------------------------------------------------------------------------------ one routing class

    @Test
    void exactlyOneClassInWsrouterRunsTheRoutingAlgorithm() {
        // Whoever asks a MessageHandler whether it takes a message, or gives it one, runs a chain.
        Set<String> chainRunners = WsrouterClasses.originClasses(WsrouterClasses.handlerInvocations().stream()
                .filter(a -> !WsrouterClasses.isSubDispatcherTable(a))
                .collect(java.util.stream.Collectors.toList()));
        assertThat(chainRunners).as("classes that call MessageHandler.handle/canHandle")
                .containsExactly(CanonicalMessageRouter.class.getName());
        // The sub-dispatcher step is entered from the same place only.
        assertThat(WsrouterClasses.originClasses(WsrouterClasses.subDispatches()))
                .as("classes that call SubDispatcher.dispatch")
                .containsExactly(CanonicalMessageRouter.class.getName());
    }

    // ------------------------------------------------------------------------------ one claimant per type

    @Test
    void noTwoHandlersClaimATypeSoThatRegistrationOrderWouldDecide() {
        QualityDispatcher quality = QualityDispatcher.builder().build();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).build())
                .quality(quality)
                .agentService(agents)
                .build();
        toClose.add(router);
        Map<String, List<String>> table = new TreeMap<>(router.handlerTable());
        StringBuilder printed = new StringBuilder("type -> handlers claiming it (chain order)\n");
        table.forEach((type, handlers) -> printed.append(String.format("  %-26s -> %s%n", type, handlers)));
        printed.append("taken by the quality sub-dispatcher first (pipeline step 3): ")
                .append(new java.util.TreeSet<>(quality.claimedTypes())).append('\n');
        System.out.print(printed);

        assertThat(table).isNotEmpty().doesNotContainKey(MessageHandler.ANY_TYPE);
        assertThat(table).as("the chain: each type has exactly one claimant")
                .allSatisfy((type, handlers) -> assertThat(handlers).as(type).hasSize(1));
        // A type both the sub-dispatcher and the chain claim (start_agent) is decided by the pipeline's
        // fixed order, not by registration: the sub-dispatcher takes it and the chain never sees it.
        assertThat(router.registerConnection("alice", "a1")).isTrue();
        for (String type : new java.util.TreeSet<>(quality.claimedTypes())) {
            RoutingStatistics before = router.statistics();
            router.routeMessage("alice", "a1", "{\"type\":\"" + type + "\",\"payload\":{\"content\":\"x\"}}");
            RoutingStatistics after = router.statistics();
            assertThat(after.qualityMessages() - before.qualityMessages()).as(type).isEqualTo(1);
            assertThat(handled(after) - handled(before)).as("chain handlers that took " + type).isZero();
            assertThat(after.unhandledMessages()).isEqualTo(before.unhandledMessages());
        }
    }

    private static long handled(RoutingStatistics stats) {
        return stats.handlerStatistics().values().stream().mapToLong(h -> h.handled()).sum();
    }

    // ------------------------------------------------------------------------------ one delivery path

    @Test
    void eachOfTheFiveCriticalAgentEventsLeavesThroughExactlyOneDeliveryPath() throws Exception {
        CanonicalMessageRouter router = router();
        List<String> alice = List.of("a1", "a2", "a3");
        alice.forEach(c -> assertThat(router.registerConnection("alice", c)).isTrue());
        assertThat(router.registerConnection("bob", "b1")).isTrue();

        // A run started through each core entry point.
        assertThat(router.routeMessage("alice", "a1",
                "{\"type\":\"user_message\",\"payload\":{\"content\":\"one two\"},\"message_id\":\"raw\"}")).isTrue();
        assertThat(router.routeMessage("alice", "a2",
                Message.builder("start_agent").payload(Map.of("user_request", "three")).messageId("parsed").build())).isTrue();
        assertThat(router.routeMessage("alice",
                Message.builder("chat").payload(Map.of("content", "four")).messageId("seed").build())).isTrue();
        assertThat(router.routeMessage("alice", "a3", "{\"type\":\"batch\",\"payload\":{\"messages\":"
                + "[{\"type\":\"user_message\",\"payload\":{\"content\":\"five\"},\"message_id\":\"batched\"}]}}")).isTrue();
        List<String> runs = List.of("raw", "parsed", "seed", "batched");
        assertThat(agents.completedRuns()).isEqualTo(runs.size());

        for (String connection : alice) {
            Map<String, Integer> perRunAndType = new TreeMap<>();
            for (JsonNode frame : transport.framesOf(connection)) {
                if (FIVE_EVENTS.contains(frame.path("type").asText())) {
                    perRunAndType.merge(frame.path("correlation_id").asText() + " " + frame.path("type").asText(), 1, Integer::sum);
                }
            }
            Map<String, Integer> once = new TreeMap<>();
            runs.forEach(run -> FIVE_EVENTS.forEach(type -> once.put(run + " " + type, 1)));
            assertThat(perRunAndType).as("each event of each run, on %s", connection).isEqualTo(once);
        }
        assertThat(transport.framesOf("b1")).isEmpty();
        long agentFrames = transport.connections().stream()
                .flatMap(c -> transport.typesOf(c).stream()).filter(FIVE_EVENTS::contains).count();
        assertThat(agentFrames).as("sends at the transport: one per connection per event")
                .isEqualTo((long) runs.size() * FIVE_EVENTS.size() * alice.size());
    }
}
