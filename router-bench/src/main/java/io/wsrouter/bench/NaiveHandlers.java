package io.wsrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The custom handlers W1 registers on the naive port, mirroring {@link WsrouterHandlers}. */
final class NaiveHandlers {

    private NaiveHandlers() {
    }

    /** Adds {@code extra} handlers for types nobody sends, then the user_message handler after them. */
    static void register(NaiveLegacyRouter router, int extra, ContentSink sink) {
        for (int i = 0; i < extra; i++) {
            router.addHandler(new NaiveLegacyRouter.BaseHandler(List.of("custom_type_" + i)));
        }
        router.addHandler(new UserMessageSink(sink));
    }

    /** Reads the payload's content, as every peer's user_message handler does. */
    static final class UserMessageSink extends NaiveLegacyRouter.BaseHandler {
        private final ContentSink sink;

        UserMessageSink(ContentSink sink) {
            super(List.of(Workloads.USER_MESSAGE));
            this.sink = sink;
        }

        @Override
        public boolean handleMessage(String userId, String connectionId, NaiveLegacyRouter.LegacyMessage message) {
            JsonNode content = message.payload().get(Workloads.CONTENT_FIELD);
            sink.accept(content != null && content.isTextual() ? content.textValue() : "");
            return true;
        }
    }
}
