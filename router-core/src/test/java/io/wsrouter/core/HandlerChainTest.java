package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandlerChainTest {

    private RecordingRegistry registry;
    private CanonicalMessageRouter router;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        registry = new RecordingRegistry();
        router = CanonicalMessageRouter.builder().connectionPool(registry).build();
        router.registerConnection("alice", "c1");
    }

    /** A handler that records its calls and answers with {@code result}. */
    private MessageHandler handler(String name, int priority, boolean result, String... types) {
        return new NamedHandler(name, priority, Set.of(types), m -> result, calls);
    }

    @Test
    void customHandlersRunBeforeBuiltins() {
        router.addCustomHandler(handler("Mine", 0, true, "ping"));
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(calls).containsExactly("Mine");
        assertThat(registry.framesOf("c1")).isEmpty(); // the built-in pong never ran
        assertThat(router.handlerOrder().get(0)).isEqualTo("Mine");
    }

    @Test
    void lowerPriorityRunsFirst() {
        router.addCustomHandler(handler("Late", 10, true, "chat"));
        router.addCustomHandler(handler("Early", -5, true, "chat"));
        router.routeMessage("alice", "c1", "{\"type\":\"chat\"}");
        assertThat(calls).containsExactly("Early");
        assertThat(router.handlerOrder()).startsWith("Early", "Late");
    }

    @Test
    void equalPrioritiesKeepInsertionOrder() {
        router.addCustomHandler(handler("First", 0, true, "chat"));
        router.addCustomHandler(handler("Second", 0, true, "chat"));
        router.routeMessage("alice", "c1", "{\"type\":\"chat\"}");
        assertThat(calls).containsExactly("First");
        assertThat(router.handlerOrder()).startsWith("First", "Second");
    }

    @Test
    void handlerReturningFalseLetsTheNextOneTry() {
        router.addCustomHandler(handler("Declines", 0, false, "chat"));
        router.addCustomHandler(handler("Accepts", 0, true, "chat"));
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"chat\"}")).isTrue();
        assertThat(calls).containsExactly("Declines", "Accepts");
    }

    @Test
    void canHandleRefinesTheClaim() {
        router.addCustomHandler(new NamedHandler("OnlyUrgent", 0, Set.of("chat"),
                m -> true, calls) {
            @Override
            public boolean canHandle(Message message) {
                return message.payloadText("urgent").isPresent();
            }
        });
        router.routeMessage("alice", "c1", "{\"type\":\"chat\"}");
        assertThat(calls).isEmpty();
        router.routeMessage("alice", "c1", "{\"type\":\"chat\",\"payload\":{\"urgent\":\"yes\"}}");
        assertThat(calls).containsExactly("OnlyUrgent");
    }

    @Test
    void insertAtPositionPlacesAmongEqualPriorities() {
        router.addCustomHandler(handler("A", 0, true, "chat"));
        router.addCustomHandler(handler("B", 0, true, "chat"));
        router.insertCustomHandler(1, handler("Between", 0, true, "chat"));
        router.insertCustomHandler(0, handler("Front", 0, true, "chat"));
        router.insertCustomHandler(99, handler("Back", 0, true, "chat"));
        assertThat(router.handlerOrder().subList(0, 5)).containsExactly("Front", "A", "Between", "B", "Back");
    }

    @Test
    void removedHandlerNoLongerRuns() {
        MessageHandler mine = handler("Mine", 0, true, "ping");
        router.addCustomHandler(mine);
        assertThat(router.removeCustomHandler(mine)).isTrue();
        assertThat(router.removeCustomHandler(mine)).isFalse();
        registry.clear();
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        assertThat(calls).isEmpty();
        assertThat(registry.last("c1").get("type").asText()).isEqualTo("pong");
    }

    @Test
    void removeCustomHandlerLeavesBuiltinsInPlace() {
        MessageHandler heartbeat = router.handlers().stream().filter(h -> h.name().equals("HeartbeatHandler"))
                .findFirst().orElseThrow();
        assertThat(router.removeCustomHandler(heartbeat)).isFalse();
        assertThat(router.handlerOrder()).contains("HeartbeatHandler");
        registry.clear();
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        assertThat(registry.last("c1").get("type").asText()).isEqualTo("pong");
    }

    @Test
    void removeBuiltinHandlerRemovesABuiltinWhoseTypeThenFallsBackToAck() {
        MessageHandler heartbeat = router.handlers().stream().filter(h -> h.name().equals("HeartbeatHandler"))
                .findFirst().orElseThrow();
        assertThat(router.removeBuiltinHandler(heartbeat)).isTrue();
        assertThat(router.removeBuiltinHandler(heartbeat)).isFalse();
        registry.clear();
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        assertThat(registry.last("c1").get("type").asText()).isEqualTo("ack");
    }

    @Test
    void throwingHandlerIsCountedAndTheNextHandlerIsTried() {
        router.addCustomHandler(new NamedHandler("Broken", 0, Set.of("ping"), m -> {
            throw new IllegalStateException("bug");
        }, calls));
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(registry.last("c1").get("type").asText()).isEqualTo("pong");
        RoutingStatistics stats = router.statistics();
        assertThat(stats.handlerErrors()).isEqualTo(1);
        assertThat(stats.handlerStatistics().get("Broken").errors()).isEqualTo(1);
        assertThat(stats.handlerStatistics().get("HeartbeatHandler").handled()).isEqualTo(1);
    }

    @Test
    void whenTheOnlyHandlerThrowsTheSenderGetsHandlerError() {
        router.addCustomHandler(new NamedHandler("Broken", 0, Set.of("custom_type"), m -> {
            throw new IllegalStateException("bug");
        }, calls));
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"custom_type\"}")).isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("HANDLER_ERROR");
        assertThat(registry.last("c1").at("/data/error_message").asText()).doesNotContain("bug");
        assertThat(router.statistics().unhandledMessages()).isZero();
    }

    @Test
    void handlerThatRepliesAnErrorAndDeclinesFailsTheRouteWithoutAnAck() {
        router.addCustomHandler(new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("picky");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) {
                context.replyError(ErrorCode.INVALID_PAYLOAD, "no");
                return false;
            }
        });
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"picky\"}")).isFalse();
        assertThat(registry.jsonOf("c1")).extracting(f -> f.get("type").asText()).containsExactly("error_message");
        assertThat(router.statistics().unhandledMessages()).isZero();
    }

    @Test
    void throwingCanHandleIsCountedAndSkipped() {
        router.addCustomHandler(new NamedHandler("BadClaim", 0, Set.of("ping"), m -> true, calls) {
            @Override
            public boolean canHandle(Message message) {
                throw new IllegalStateException("bug in canHandle");
            }
        });
        registry.clear();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(registry.last("c1").get("type").asText()).isEqualTo("pong");
        assertThat(router.statistics().handlerErrors()).isEqualTo(1);
    }

    @Test
    void wildcardHandlerSeesEveryTypeInItsChainPosition() {
        router.addCustomHandler(handler("Spy", 0, false, MessageHandler.ANY_TYPE));
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        router.routeMessage("alice", "c1", "{\"type\":\"something_new\"}");
        assertThat(calls).containsExactly("Spy", "Spy");
    }

    @Test
    void handlerForATypeIsNotAskedAboutOtherTypes() {
        router.addCustomHandler(handler("ChatOnly", 0, true, "chat"));
        router.routeMessage("alice", "c1", "{\"type\":\"ping\"}");
        assertThat(calls).isEmpty();
    }

    @Test
    void customHandlerMakesItsTypeKnownSoItIsNotAcked() {
        router.addCustomHandler(handler("Orders", 0, true, "order_placed"));
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"order_placed\"}")).isTrue();
        assertThat(router.statistics().unhandledMessages()).isZero();
        assertThat(router.statistics().messageTypes()).containsEntry("order_placed", 1L);
    }

    @Test
    void handlerTableListsClaimantsPerType() {
        router.addCustomHandler(handler("Mine", 0, true, "ping"));
        assertThat(router.handlerTable().get("ping")).containsExactly("Mine", "HeartbeatHandler");
        assertThat(router.handlerTable().get("jsonrpc_batch")).containsExactly("JsonRpcHandler");
    }

    @Test
    void nullHandlerAndNullTypesAreRefused() {
        assertThatThrownBy(() -> router.addCustomHandler(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> router.addCustomHandler(new NamedHandler("NullTypes", 0, null, m -> true, calls)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NullTypes");
    }

    @Test
    void replyCarriesTheCorrelationIdAndStaysWithTheSender() {
        router.registerConnection("alice", "c2");
        router.registerConnection("bob", "b1");
        router.addCustomHandler(new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("echo");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) {
                return context.reply("echoed", message.payloadMap());
            }
        });
        registry.clear();
        router.routeMessage("alice", "c1", "{\"type\":\"echo\",\"payload\":{\"v\":1},\"message_id\":\"m-5\"}");
        assertThat(registry.last("c1").get("correlation_id").asText()).isEqualTo("m-5");
        assertThat(registry.last("c1").at("/data/v").asInt()).isEqualTo(1);
        assertThat(registry.framesOf("c2")).isEmpty();
        assertThat(registry.framesOf("b1")).isEmpty();
    }

    @Test
    void contextEmitReachesEveryConnectionOfTheUserOnly() {
        router.registerConnection("alice", "c2");
        router.registerConnection("bob", "b1");
        router.addCustomHandler(new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("shout");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) {
                return context.emitToUser("shouted", null);
            }
        });
        registry.clear();
        router.routeMessage("alice", "c1", "{\"type\":\"shout\"}");
        assertThat(registry.framesOf("c1")).hasSize(1);
        assertThat(registry.framesOf("c2")).hasSize(1);
        assertThat(registry.framesOf("b1")).isEmpty();
        assertThat(registry.last("c2").get("data").isObject()).isTrue();
    }

    /** A configurable test handler. */
    static class NamedHandler implements MessageHandler {
        private final String name;
        private final int priority;
        private final Set<String> types;
        private final Predicate<Message> behaviour;
        private final List<String> calls;

        NamedHandler(String name, int priority, Set<String> types, Predicate<Message> behaviour, List<String> calls) {
            this.name = name;
            this.priority = priority;
            this.types = types;
            this.behaviour = behaviour;
            this.calls = calls;
        }

        @Override
        public Set<String> messageTypes() {
            return types;
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            calls.add(name);
            return behaviour.test(message);
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
