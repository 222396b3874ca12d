package io.wsrouter.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.wsrouter.compat.MessageRouter;
import io.wsrouter.compat.QualityMessageRouter;
import io.wsrouter.compat.WebSocketEventRouter;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.HandlerStatus;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageFormatException;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.core.RoutingStatistics;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import io.wsrouter.quality.QualityDispatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A host program written only against the public contract of DESIGN.md (sections 2-4: the builder,
 * the transport entry points, {@code Message}, {@code ErrorCode}, {@code RoutingStatistics},
 * {@code MessageHandler}, {@code RoutingContext}, the wire envelope; section 8: the legacy facades):
 * it must compile, and behave as the document says. A last test checks that it uses no other
 * wsrouter name.
 */
@SuppressWarnings("removal")   // section 8 is the deprecated facades
class ContractProgramTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The wsrouter names DESIGN.md documents as the contract this program may use. */
    private static final Set<String> DOCUMENTED = Set.of(
            "io.wsrouter.core.CanonicalMessageRouter", "io.wsrouter.core.CanonicalMessageRouter$Builder",
            "io.wsrouter.core.Message", "io.wsrouter.core.MessageFormatException", "io.wsrouter.core.ErrorCode",
            "io.wsrouter.core.RoutingStatistics", "io.wsrouter.core.MessageHandler", "io.wsrouter.core.RoutingContext",
            "io.wsrouter.core.HandlerStatus",
            "io.wsrouter.core.AgentService",
            "io.wsrouter.events.ConnectionPool", "io.wsrouter.events.ConnectionPool$Builder",
            "io.wsrouter.events.WebSocketManager",
            "io.wsrouter.quality.QualityDispatcher", "io.wsrouter.quality.QualityDispatcher$Builder",
            "io.wsrouter.quality.QualityGateService", "io.wsrouter.quality.QualityMonitoringService",
            "io.wsrouter.compat.MessageRouter", "io.wsrouter.compat.QualityMessageRouter",
            "io.wsrouter.compat.WebSocketEventRouter");

    // ------------------------------------------------------------------------------ the host's code

    /** The host's sockets: connection id -> text frames written to it. */
    private final Map<String, List<String>> sockets = new ConcurrentHashMap<>();

    private final WebSocketManager manager = (connectionId, frame) -> {
        sockets.computeIfAbsent(connectionId, c -> java.util.Collections.synchronizedList(new ArrayList<>())).add(frame);
        return CompletableFuture.completedFuture(null);
    };

    /** A host handler: replies to the sender, tells every connection of the user. */
    private final MessageHandler echo = new MessageHandler() {
        @Override
        public Set<String> messageTypes() {
            return Set.of("echo");
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            context.reply("echo_reply", Map.of("content", message.payloadText("content").orElse(""),
                    "user", context.userId(), "connection", context.connectionId().orElse("")));
            context.emitToUser("echo_seen", Map.of("by", context.userId()));
            return true;
        }
    };

    /** A faulty host handler: claims {@code ping} before the built-in and always throws. */
    private final MessageHandler faulty = new MessageHandler() {
        @Override
        public Set<String> messageTypes() {
            return Set.of("ping");
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            throw new IllegalStateException("bug in a host handler");
        }
    };

    private List<JsonNode> framesOf(String connectionId) throws Exception {
        List<JsonNode> frames = new ArrayList<>();
        for (String frame : new ArrayList<>(sockets.getOrDefault(connectionId, List.of()))) {
            frames.add(JSON.readTree(frame));
        }
        return frames;
    }

    private JsonNode last(String connectionId) throws Exception {
        List<JsonNode> frames = framesOf(connectionId);
        assertThat(frames).as("frames of %s", connectionId).isNotEmpty();
        return frames.get(frames.size() - 1);
    }

    @Test
    void aHostWiredAsDocumentedSeesTheDocumentedBehaviour() throws Exception {
        ConnectionPool pool = ConnectionPool.builder(manager).idleTimeout(Duration.ofMinutes(5)).build();
        CanonicalMessageRouter closedRouter;
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(pool)
                .customHandler(echo)
                .build()) {
            closedRouter = router;
            assertThat(router.handlerStatus()).as("inside the 10 s startup grace period").isEqualTo(HandlerStatus.INITIALIZING);
            assertThat(router.handlerOrder()).isNotEmpty();
            assertThat(router.registerConnection("alice", "a1")).isTrue();
            assertThat(router.registerConnection("alice", "a2")).isTrue();
            assertThat(router.registerConnection("bob", "b1")).isTrue();

            // A custom handler: reply to the sender, event to every connection of the user, nothing to bob.
            assertThat(router.routeMessage("alice", "a1",
                    "{\"type\":\"echo\",\"payload\":{\"content\":\"hi\"},\"message_id\":\"m-1\"}")).isTrue();
            List<JsonNode> a1 = framesOf("a1");
            assertThat(a1).extracting(f -> f.path("type").asText()).containsExactly("echo_reply", "echo_seen");
            JsonNode reply = a1.get(0);
            assertThat(reply.at("/data/content").asText()).isEqualTo("hi");
            assertThat(reply.at("/data/user").asText()).isEqualTo("alice");
            assertThat(reply.at("/data/connection").asText()).isEqualTo("a1");
            assertThat(reply.path("correlation_id").asText()).isEqualTo("m-1");
            assertThat(Instant.parse(reply.path("timestamp").asText())).isNotNull();
            assertThat(framesOf("a2")).extracting(f -> f.path("type").asText()).containsExactly("echo_seen");
            assertThat(framesOf("b1")).isEmpty();

            // Built-ins (section 3): ping -> pong, heartbeat -> heartbeat_ack {status: healthy}.
            assertThat(router.routeMessage("bob", "b1", "{\"type\":\"ping\"}")).isTrue();
            assertThat(last("b1").path("type").asText()).isEqualTo("pong");
            assertThat(router.routeMessage("bob", "b1", "{\"type\":\"heartbeat\"}")).isTrue();
            assertThat(last("b1").at("/data/status").asText()).isEqualTo("healthy");
            assertThat(router.routeMessage("bob", "b1", "{\"type\":\"connect\"}")).isTrue();
            assertThat(last("b1").path("type").asText()).isEqualTo("system_message");
            assertThat(last("b1").at("/data/status").asText()).isEqualTo("connected");
            assertThat(last("b1").at("/data/user_id").asText()).isEqualTo("bob");

            // Fallback (section 2, step 6): acknowledged, counted as unhandled.
            assertThat(router.routeMessage("bob", "b1", "{\"type\":\"never_heard_of_it\"}")).isTrue();
            assertThat(last("b1").path("type").asText()).isEqualTo("ack");
            assertThat(last("b1").at("/data/received_type").asText()).isEqualTo("never_heard_of_it");
            assertThat(last("b1").at("/data/status").asText()).isEqualTo("acknowledged");

            // Bad input never throws: false, an error frame with the code, counted as rejected.
            assertRejected(router, "{not json", ErrorCode.INVALID_JSON);
            assertRejected(router, "{\"payload\":{}}", ErrorCode.MISSING_TYPE);
            assertRejected(router, "{\"type\":\"has space\"}", ErrorCode.INVALID_TYPE);
            assertRejected(router, "{\"type\":\"x\",\"payload\":{\"c\":\"" + "y".repeat(65 * 1024) + "\"}}",
                    ErrorCode.MESSAGE_TOO_LARGE);
            assertRejected(router, "{\"type\":\"x\",\"payload\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41),
                    ErrorCode.NESTING_TOO_DEEP);

            // A connection belongs to the user that registered it.
            int before = framesOf("a1").size();
            assertThat(router.routeMessage("bob", "a1", "{\"type\":\"echo\"}")).isFalse();
            assertThat(framesOf("a1")).hasSize(before);

            // The seed entry: a parsed message without a connection replies to the user's connections.
            assertThat(router.routeMessage("alice", Message.of("echo", Map.of("content", "seed")))).isTrue();
            assertThat(last("a2").path("type").asText()).isEqualTo("echo_seen");

            // Outbound.
            assertThat(router.emitToUser("alice", "notice", Map.of("n", 1))).isTrue();
            assertThat(last("a1").path("type").asText()).isEqualTo("notice");
            assertThat(last("a2").at("/data/n").asInt()).isEqualTo(1);
            assertThat(router.emitToUser("nobody", "notice", Map.of())).isFalse();

            // A throwing handler is counted and the next one is tried.
            router.addCustomHandler(faulty);
            assertThat(router.routeMessage("bob", "b1", "{\"type\":\"ping\"}")).isTrue();
            assertThat(last("b1").path("type").asText()).isEqualTo("pong");
            assertThat(router.removeCustomHandler(faulty)).isTrue();
            assertThat(router.removeCustomHandler(echo)).isTrue();
            assertThat(router.removeCustomHandler(echo)).isFalse();
            assertThat(router.routeMessage("alice", "a1", "{\"type\":\"echo\"}")).isTrue();
            assertThat(last("a1").path("type").asText()).as("no handler claims echo any more").isEqualTo("ack");

            RoutingStatistics stats = router.statistics();
            assertThat(stats.messagesRouted()).isEqualTo(8);
            assertThat(stats.unhandledMessages()).isEqualTo(2);
            assertThat(stats.handlerErrors()).isEqualTo(1);
            assertThat(stats.rejectedMessages()).isEqualTo(6);
            assertThat(stats.messageTypes()).containsEntry("ping", 2L).containsEntry("heartbeat", 1L)
                    .as("unknown types fold into one bucket").doesNotContainKey("never_heard_of_it");
            assertThat(stats.activeConnections()).isEqualTo(3);
            assertThat(stats.connectedUsers()).isEqualTo(2);
            assertThat(stats.toMap()).containsEntry("messages_routed", 8L).containsEntry("unhandled_messages", 2L)
                    .containsEntry("handler_errors", 1L).containsKey("message_types");

            assertThat(router.unregisterConnection("b1")).isTrue();
            assertThat(router.statistics().connectedUsers()).isEqualTo(1);
        }
        assertThat(closedRouter.routeMessage("alice", "a1", "{\"type\":\"ping\"}")).as("after close").isFalse();

        // Message.parse: the codes come with the exception.
        assertThatThrownBy(() -> Message.parse("[1, 2"))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON));
        assertThatThrownBy(() -> Message.parse("{\"type\":42}"))
                .isInstanceOfSatisfying(MessageFormatException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TYPE));
        Message parsed = Message.parse("{\"type\":\"user_message\",\"payload\":{\"content\":\"hello\"},\"thread_id\":\"t-1\"}");
        assertThat(parsed.type()).isEqualTo("user_message");
        assertThat(parsed.payloadText("content")).contains("hello");
        assertThat(Message.parse("{\"type\":\"typing\"}").type()).as("legacy alias").isEqualTo("user_typing");
    }

    private void assertRejected(CanonicalMessageRouter router, String frame, ErrorCode code) throws Exception {
        long rejected = router.statistics().rejectedMessages();
        assertThat(router.routeMessage("bob", "b1", frame)).as(code.name()).isFalse();
        JsonNode error = last("b1");
        assertThat(error.path("type").asText()).isEqualTo("error_message");
        assertThat(error.at("/data/error_code").asText()).isEqualTo(code.name());
        assertThat(router.statistics().rejectedMessages()).isEqualTo(rejected + 1);
    }

    // ------------------------------------------------------------------------------ section 8: the facades

    @Test
    void legacyCallSitesWorkThroughTheFacadesAsSection8Documents() throws Exception {
        try (CanonicalMessageRouter canonical = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(manager).build())
                .quality(QualityDispatcher.builder().build())
                .build()) {
            MessageRouter messages = new MessageRouter(canonical);
            QualityMessageRouter quality = new QualityMessageRouter(canonical);
            WebSocketEventRouter events = new WebSocketEventRouter(canonical);

            // WebSocketEventRouter: the legacy websocket argument is the connection id.
            assertThat(events.registerConnection("alice", "a1", "thread-1")).isTrue();
            assertThat(events.registerConnection("alice", "a2", "thread-1")).isTrue();
            assertThat(events.registerConnection("bob", "b1", "thread-2")).isTrue();
            assertThat(events.getUserConnections("alice")).containsExactlyInAnyOrder("a1", "a2");
            assertThat(events.routeEvent("alice", "a1", Map.of("type", "custom", "n", 1))).isTrue();
            assertThat(events.routeEvent("bob", "a1", Map.of("type", "custom", "n", 2))).as("bob does not own a1").isFalse();
            assertThat(last("a1").path("n").asInt()).isEqualTo(1);
            assertThat(events.broadcastToUser("alice", Map.of("type", "custom", "n", 3))).isEqualTo(2);
            assertThat(events.cleanupStaleConnections()).isZero();
            assertThat(events.getStats()).isNotEmpty();

            // MessageRouter: legacy dicts in, the canonical pipeline behind, handlers by index.
            assertThat(messages.routeMessage("alice", "a1", Map.of("type", "ping"))).isTrue();
            assertThat(last("a1").path("type").asText()).isEqualTo("pong");
            messages.addHandler(echo);
            messages.insertHandler(faulty, 0);
            assertThat(messages.getHandlerOrder()).hasSizeGreaterThan(2);
            assertThat(messages.routeMessage("alice", "a1", Map.of("type", "echo", "payload", Map.of("content", "legacy")))).isTrue();
            assertThat(framesOf("a1")).extracting(f -> f.path("type").asText()).contains("echo_reply");
            assertThat(messages.removeHandler(faulty)).isTrue();
            messages.handleMessage("bob", Map.of("type", "ping"));
            assertThat(last("b1").path("type").asText()).isEqualTo("pong");
            Map<String, Object> stats = messages.getStats();
            assertThat(stats).containsKeys("messages_routed", "unhandled_messages", "handler_errors", "message_types");
            assertThat(messages.checkHandlerStatusWithGracePeriod()).isNotEmpty();

            // QualityMessageRouter: the quality types, and broadcasts to subscribers.
            quality.handleMessage("alice", Map.of("type", "subscribe_quality_alerts", "payload", Map.of("action", "subscribe")));
            quality.broadcastQualityAlert(Map.of("message", "drift"));
            quality.broadcastQualityUpdate(Map.of("trend", "up"));
            assertThat(framesOf("a2")).extracting(f -> f.path("type").asText()).contains("quality_alert", "quality_update");
            assertThat(framesOf("b1")).extracting(f -> f.path("type").asText()).doesNotContain("quality_alert", "quality_update");

            assertThat(events.unregisterConnection("a2")).isTrue();
            assertThat(events.getUserConnections("alice")).containsExactly("a1");
        }

        // The legacy constructors build private routers with the defaults.
        MessageRouter standalone = new MessageRouter();
        assertThat(standalone.getHandlerOrder()).isNotEmpty();
        assertThat(standalone.routeMessage("carol", "c1", Map.of("type", "ping"))).isTrue();
        QualityMessageRouter legacyQuality = new QualityMessageRouter(null, null, null, null);
        legacyQuality.handleMessage("carol", Map.of("type", "get_quality_metrics"));
    }

    // ------------------------------------------------------------------------------ only the contract

    @Test
    void theProgramUsesNoWsrouterNameBeyondTheDocumentedContract() {
        JavaClasses program = new ClassFileImporter().importPackages(getClass().getPackageName());
        Set<String> used = new TreeSet<>();
        for (JavaClass c : program) {
            if (c.getName().startsWith(ContractProgramTest.class.getName())) {
                c.getDirectDependenciesFromSelf().stream()
                        .map(d -> d.getTargetClass().getName())
                        .filter(n -> n.startsWith("io.wsrouter.") && !n.startsWith(ContractProgramTest.class.getName()))
                        .forEach(used::add);
            }
        }
        assertThat(used).isNotEmpty().isSubsetOf(DOCUMENTED);
        assertThat(used.stream().filter(n -> n.startsWith("io.wsrouter.tests")).collect(Collectors.toList())).isEmpty();
    }
}
