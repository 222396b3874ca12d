package io.wsrouter.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.events.ConnectionPool;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ErrorFramesTest {

    @Test
    void theAdaptersErrorFrameIsByteForByteTheRoutersEnvelope() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T06:30:00.123Z"), ZoneOffset.UTC);
        List<String> sent = new CopyOnWriteArrayList<>();
        try (CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder((id, frame) -> {
                    sent.add(frame);
                    return CompletableFuture.completedFuture(null);
                }).build())
                .clock(clock)
                .build()) {
            router.registerConnection("u", "c");
            router.routeMessage("u", "c", "{not json");
        }
        String routers = sent.get(0);
        String message = new ObjectMapper().readTree(routers).at("/data/error_message").asText();

        assertThat(ErrorFrames.error(ErrorCode.INVALID_JSON, message, clock)).isEqualTo(routers);
    }

    @Test
    void anErrorFrameCarriesTheCodeTheMessageEmptyDetailsAndAUtcTimestamp() throws Exception {
        JsonNode frame = new ObjectMapper().readTree(ErrorFrames.error(ErrorCode.UNSUPPORTED_FRAME, "no \"binary\"", Clock.systemUTC()));

        assertThat(frame.path("type").asText()).isEqualTo("error_message");
        assertThat(frame.at("/data/error_code").asText()).isEqualTo("UNSUPPORTED_FRAME");
        assertThat(frame.at("/data/error_message").asText()).isEqualTo("no \"binary\"");
        assertThat(frame.at("/data/details").isEmpty()).isTrue();
        assertThat(Instant.parse(frame.path("timestamp").asText())).isNotNull();
    }
}
