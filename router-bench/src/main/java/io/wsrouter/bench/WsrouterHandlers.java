package io.wsrouter.bench;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import java.util.Set;

/** The custom handlers W1 registers on wsrouter: the one the frame reaches, and the extra ones. */
final class WsrouterHandlers {

    private WsrouterHandlers() {
    }

    /** Registers {@code extra} handlers for types nobody sends, then the user_message handler after them. */
    static void register(CanonicalMessageRouter.Builder builder, int extra, ContentSink sink) {
        for (int i = 0; i < extra; i++) {
            builder.customHandler(new ExtraHandler("custom_type_" + i));
        }
        builder.customHandler(new UserMessageSink(sink));
    }

    /** Reads the payload's content, as every peer's user_message handler does. */
    static final class UserMessageSink implements MessageHandler {
        private final ContentSink sink;

        UserMessageSink(ContentSink sink) {
            this.sink = sink;
        }

        @Override
        public Set<String> messageTypes() {
            return Set.of(Workloads.USER_MESSAGE);
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            sink.accept(message.payloadText(Workloads.CONTENT_FIELD).orElse(""));
            return true;
        }
    }

    /** A handler for a type the benchmark never sends: it only makes the chain longer. */
    static final class ExtraHandler implements MessageHandler {
        private final Set<String> types;
        private final String name;

        ExtraHandler(String type) {
            this.types = Set.of(type);
            this.name = "extra-" + type;
        }

        @Override
        public Set<String> messageTypes() {
            return types;
        }

        @Override
        public boolean handle(RoutingContext context, Message message) {
            return true;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
