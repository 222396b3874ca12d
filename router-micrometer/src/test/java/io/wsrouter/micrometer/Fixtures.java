package io.wsrouter.micrometer;

import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.events.WebSocketManager;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the tests route through: a transport that records every frame, and a few handlers. */
final class Fixtures {

    private Fixtures() {
    }

    /** Completes every send at once and keeps the frame. */
    static final class RecordingManager implements WebSocketManager {
        final List<String> frames = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> sendToConnection(String connectionId, String frame) {
            frames.add(frame);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Claims one type and throws on it. */
    static final class Bomb implements MessageHandler {
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
    }

    /** Claims every type and handles it. */
    static final class CatchAll implements MessageHandler {
        @Override
        public Set<String> messageTypes() {
            return Set.of(MessageHandler.ANY_TYPE);
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            return true;
        }

        @Override
        public String name() {
            return "CatchAll";
        }
    }

    static String frame(String type) {
        return "{\"type\":\"" + type + "\"}";
    }
}
