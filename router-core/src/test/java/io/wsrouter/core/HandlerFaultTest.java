package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which throwables a handler may throw without taking the router down. */
class HandlerFaultTest {

    private static MessageHandler throwing(Supplier<Throwable> error) {
        return new MessageHandler() {
            @Override
            public Set<String> messageTypes() {
                return Set.of("fragile");
            }

            @Override
            public boolean handle(RoutingContext context, Message message) throws Exception {
                Throwable t = error.get();
                if (t instanceof Exception e) {
                    throw e;
                }
                throw (Error) t;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"assertion", "linkage", "stackoverflow", "checked", "runtime", "custom-error"})
    void nonFatalThrowablesAreCountedAndAnsweredWithHandlerError(String kind) {
        Supplier<Throwable> error = switch (kind) {
            case "assertion" -> () -> new AssertionError("broken invariant");
            case "linkage" -> () -> new NoClassDefFoundError("missing/Class");
            case "stackoverflow" -> StackOverflowError::new;
            case "checked" -> () -> new java.io.IOException("io");
            case "runtime" -> () -> new IllegalStateException("state");
            default -> () -> new Error("a library's own Error subclass");
        };
        RecordingRegistry registry = new RecordingRegistry();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder().connectionPool(registry)
                .customHandler(throwing(error)).build();
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"fragile\"}")).isFalse();
        assertThat(registry.last("c1").at("/data/error_code").asText()).isEqualTo("HANDLER_ERROR");
        assertThat(router.statistics().handlerErrors()).isEqualTo(1);
        // The router still works.
        assertThat(router.routeMessage("alice", "c1", "{\"type\":\"ping\"}")).isTrue();
        assertThat(registry.last("c1").get("type").asText()).isEqualTo("pong");
    }

    @Test
    void outOfMemoryErrorIsNotSwallowed() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .customHandler(throwing(() -> new OutOfMemoryError("simulated"))).build();
        assertThatThrownBy(() -> router.routeMessage("alice", "c1", "{\"type\":\"fragile\"}"))
                .isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void interruptedHandlerKeepsTheInterruptForTheCaller() {
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .customHandler(throwing(InterruptedException::new)).build();
        try {
            assertThat(router.routeMessage("alice", "c1", "{\"type\":\"fragile\"}")).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
