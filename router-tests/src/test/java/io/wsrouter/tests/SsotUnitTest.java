package io.wsrouter.tests;

import static io.wsrouter.tests.ScriptedAgentService.FIVE_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsrouter.compat.WebSocketEventRouter;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingStatistics;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.quality.QualityDispatcher;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.SoftAssertions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The unit six of the SSOT suite. */
@Tag("ssot")
@SuppressWarnings("removal")   // the legacy facades are deprecated for removal: that is what is tested here
class SsotUnitTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T16:00:00Z"), ZoneOffset.UTC);


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

    private static final String PIPELINE = "io.wsrouter.core.Pipeline";

    @Test
    void exactlyOneClassInWsrouterRunsTheRoutingAlgorithm() {
        // Whoever asks a MessageHandler whether it takes a message, or gives it one, runs a chain.
        Set<String> chainRunners = WsrouterClasses.originClasses(WsrouterClasses.handlerInvocations().stream()
                .filter(a -> !WsrouterClasses.isSubDispatcherTable(a))
                .collect(java.util.stream.Collectors.toList()));
        // The router is a facade over its pipeline (package-private), which runs the chain.
        assertThat(chainRunners).as("classes that call MessageHandler.handle/canHandle")
                .containsExactly(PIPELINE);
        // The sub-dispatcher step is entered from the same place only.
        assertThat(WsrouterClasses.originClasses(WsrouterClasses.subDispatches()))
                .as("classes that call SubDispatcher.dispatch")
                .containsExactly(PIPELINE);
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

    // ------------------------------------------------------------------------------ the facades

    /** The whole stack over a transport: pool, quality, agents, a JSON-RPC method, a fixed clock. */
    private CanonicalMessageRouter fullStack(RecordingTransport t, MessageHandler... custom) {
        CanonicalMessageRouter.Builder builder = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(t).build())
                .quality(QualityDispatcher.builder().clock(CLOCK).build())
                .agentService(agents)
                .jsonRpcMethod("sum", call -> call.params().get(0).asInt() + call.params().get(1).asInt())
                .clock(CLOCK);
        for (MessageHandler h : custom) {
            builder.customHandler(h);
        }
        CanonicalMessageRouter router = builder.build();
        toClose.add(router);
        return router;
    }

    /** Records who sent each {@code probe} and through which connection, and answers it. */
    private static final class Probe implements MessageHandler {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public Set<String> messageTypes() {
            return Set.of("probe");
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            seen.add(context.userId() + " " + context.connectionId().orElse("-") + " " + message.payloadText("via").orElse("?"));
            return context.reply("probed", Map.of("via", message.payloadText("via").orElse("?")));
        }
    }

    @Test
    void everyEntryPointReachesTheOneCanonicalRouter() {
        Probe probe = new Probe();
        CanonicalMessageRouter canonical = fullStack(transport, probe);
        // The event facade's registration is the canonical router's.
        WebSocketEventRouter events = new WebSocketEventRouter(canonical);
        assertThat(events.registerConnection("alice", "a1", "t-1")).isTrue();
        assertThat(canonical.statistics().activeConnections()).isEqualTo(1);

        for (EntryPoint entry : EntryPoint.values()) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "probe");
            message.put("payload", Map.of("via", entry.name()));
            assertThat(entry.send(canonical, "alice", "a1", message)).as(entry.toString()).isNotEqualTo(Boolean.FALSE);
        }

        assertThat(probe.seen).as("what the handler registered on the canonical router saw").containsExactly(
                "alice a1 CANONICAL", "alice a1 MESSAGE_ROUTER", "alice a1 MESSAGE_ROUTER_HANDLE", "alice a1 QUALITY_ROUTER");
        assertThat(canonical.statistics().messagesRouted()).isEqualTo(EntryPoint.values().length);
        assertThat(transport.typesOf("a1")).containsOnly("probed").hasSize(EntryPoint.values().length);
        // And the event facade's sends leave through the canonical router's pool.
        assertThat(events.broadcastToUser("alice", Map.of("type", "notice"))).isEqualTo(1);
        assertThat(canonical.statistics().delivery().framesSent()).isEqualTo(EntryPoint.values().length + 1);
        assertThat(events.unregisterConnection("a1")).isTrue();
        assertThat(canonical.statistics().activeConnections()).isZero();
    }

    private static Map<String, Object> msg(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The outcome of one message through one entry point: result, statistics moved, frames sent. */
    private record Outcome(Boolean returned, String statistics, String rejections, List<JsonNode> frames) {
    }

    private List<Outcome> routeAll(EntryPoint entry, List<Map<String, Object>> messages) {
        RecordingTransport t = new RecordingTransport();
        CanonicalMessageRouter router = fullStack(t);
        assertThat(router.registerConnection("alice", "a1")).isTrue();
        List<Outcome> outcomes = new ArrayList<>();
        for (Map<String, Object> message : messages) {
            int sent = t.rawFramesOf("a1").size();
            RoutingStatistics before = router.statistics();
            Boolean returned = entry.send(router, "alice", "a1", new LinkedHashMap<>(message));
            RoutingStatistics after = router.statistics();
            List<JsonNode> frames = new ArrayList<>(t.framesOf("a1").subList(sent, t.rawFramesOf("a1").size()));
            // The one figure that is a measurement: seconds it took start_agent to start the run.
            frames.forEach(f -> {
                if (f.path("data") instanceof ObjectNode data) {
                    data.remove("response_time");
                }
                // Each stack's broker draws its own epoch: compare that it is there, not its value.
                if (f instanceof ObjectNode frame && frame.path("epoch").isTextual()) {
                    frame.put("epoch", "<epoch>");
                }
            });
            Map<String, Long> codes = new TreeMap<>(after.rejectionsByCode());
            before.rejectionsByCode().forEach((code, n) -> codes.merge(code, -n, Long::sum));
            codes.values().removeIf(n -> n == 0);
            String moved = "routed+" + (after.messagesRouted() - before.messagesRouted())
                    + " unhandled+" + (after.unhandledMessages() - before.unhandledMessages())
                    + " errors+" + (after.handlerErrors() - before.handlerErrors())
                    + " quality+" + (after.qualityMessages() - before.qualityMessages());
            String rejected = "rejected+" + (after.rejectedMessages() - before.rejectedMessages()) + " codes" + codes;
            outcomes.add(new Outcome(returned, moved, rejected, frames));
        }
        return outcomes;
    }

    /** Sends the table through every entry point, each over a fresh stack, and compares with the canonical entry. */
    private Map<EntryPoint, List<Outcome>> assertSameEverywhere(List<Map<String, Object>> table) {
        Map<EntryPoint, List<Outcome>> results = new EnumMap<>(EntryPoint.class);
        for (EntryPoint entry : EntryPoint.values()) {
            results.put(entry, routeAll(entry, table));
        }
        List<Outcome> reference = results.get(EntryPoint.CANONICAL);
        SoftAssertions softly = new SoftAssertions();
        for (EntryPoint entry : EntryPoint.FACADES) {
            List<Outcome> outcomes = results.get(entry);
            for (int i = 0; i < table.size(); i++) {
                Outcome expected = reference.get(i);
                Outcome actual = outcomes.get(i);
                String what = entry + " with " + table.get(i);
                softly.assertThat(actual.frames()).as("reply of " + what).isEqualTo(expected.frames());
                softly.assertThat(actual.statistics()).as("statistics of " + what).isEqualTo(expected.statistics());
                softly.assertThat(actual.rejections()).as("rejections counted for " + what).isEqualTo(expected.rejections());
                if (actual.returned() != null) {
                    softly.assertThat(actual.returned()).as("result of " + what).isEqualTo(expected.returned());
                }
            }
        }
        softly.assertAll();
        return results;
    }

    @Test
    void everyEntryPointGivesTheSameOutcomeAndReplyForATableOfMessages() {
        List<Map<String, Object>> table = List.of(
                msg("type", "ping", "message_id", "m1"),
                msg("type", "heartbeat", "message_id", "m2"),
                msg("type", "typing", "thread_id", "t-1", "message_id", "m3"),
                msg("type", "agent_status_update", "payload", msg("status", "busy"), "message_id", "m4"),
                msg("type", "error_message", "payload", msg("error_code", "E42"), "message_id", "m5"),
                msg("type", "thread_message", "payload", msg("content", "hi"), "thread_id", "t-1", "message_id", "m6"),
                msg("type", "user_message", "payload", msg("content", "two words"), "run_id", "r-1", "message_id", "m7"),
                msg("type", "agent_request", "payload", msg("content", "three more words"), "run_id", "r-2", "message_id", "m8"),
                msg("jsonrpc", "2.0", "method", "sum", "params", List.of(1, 2), "id", 7),
                msg("jsonrpc", "2.0", "method", "nope", "id", 8),
                msg("type", "batch", "payload", msg("messages", List.of(msg("type", "ping"), msg("type", "thread_message"))),
                        "message_id", "m9"),
                msg("type", "something_custom", "message_id", "m10"),
                msg("type", "connect", "message_id", "m11"),
                msg("payload", msg(), "message_id", "m12"),
                msg("type", "has space", "message_id", "m13"),
                msg("type", 42, "message_id", "m14"));

        Map<EntryPoint, List<Outcome>> results = assertSameEverywhere(table);

        // The table is not vacuous: every message produced a reply or an event, and some were refused.
        assertThat(results.get(EntryPoint.CANONICAL)).allSatisfy(o -> assertThat(o.frames()).isNotEmpty());
        assertThat(results.get(EntryPoint.CANONICAL).stream().filter(o -> Boolean.FALSE.equals(o.returned()))).hasSize(3);
    }

    @Test
    void qualityMessagesRouteTheSameThroughEveryEntryPoint() {
        List<Map<String, Object>> table = List.of(
                msg("type", "get_quality_metrics", "message_id", "q1"),
                msg("type", "get_quality_metrics", "payload", msg("agent_name", "supervisor", "period_hours", 24), "message_id", "q2"),
                msg("type", "subscribe_quality_alerts", "message_id", "q3"),
                msg("type", "subscribe_quality_alerts", "payload", msg("action", "unsubscribe"), "message_id", "q4"),
                msg("type", "subscribe_quality_alerts", "payload", msg("action", "maybe"), "message_id", "q5"),
                msg("type", "validate_content", "payload", msg("content",
                        "Reduce the p95 latency of the checkout API from 800 ms to 300 ms by caching the catalogue for 60 s.",
                        "content_type", "optimization", "strict_mode", true), "message_id", "q6"),
                msg("type", "validate_content", "payload", msg("content", ""), "message_id", "q7"),
                msg("type", "generate_quality_report", "payload", msg("report_type", "summary", "period", "day"), "message_id", "q8"),
                msg("type", "generate_quality_report", "payload", msg("report_type", "nope"), "message_id", "q9"),
                msg("type", "start_agent", "payload", msg("user_request", "three little words"), "run_id", "r-3", "message_id", "q10"),
                msg("type", "execute_agent", "payload", msg("content", "legacy alias"), "run_id", "r-4", "message_id", "q11"));

        Map<EntryPoint, List<Outcome>> results = assertSameEverywhere(table);

        // Every one of them was taken by the quality sub-dispatcher, and answered.
        assertThat(results.get(EntryPoint.CANONICAL)).allSatisfy(o -> {
            assertThat(o.statistics()).contains("quality+1");
            assertThat(o.frames()).isNotEmpty();
        });
    }
}
