package io.wsrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wsrouter.core.MessageLimits;
import io.wsrouter.events.ConnectionPool;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wsrouter.* metadata IDEs read: every property described, defaults equal to the code's. */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyIsDescribedAndTheDefaultsAreTheCodes() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        metadata.path("properties").forEach(p -> properties.put(p.path("name").asText(), p));
        assertThat(properties).containsKeys("wsrouter.path", "wsrouter.allowed-origins", "wsrouter.idle-timeout",
                "wsrouter.max-frame-bytes", "wsrouter.insecure-user-query-parameter", "wsrouter.enabled");
        assertThat(properties.values()).allSatisfy(p -> assertThat(p.path("description").asText()).isNotBlank());
        assertThat(properties.get("wsrouter.max-frame-bytes").path("defaultValue").asInt()).isEqualTo(MessageLimits.DEFAULT_MAX_FRAME_BYTES);
        assertThat(properties.get("wsrouter.max-connections-per-user").path("defaultValue").asInt())
                .isEqualTo(ConnectionPool.DEFAULT_MAX_CONNECTIONS_PER_USER);
        assertThat(properties.get("wsrouter.max-queued-bytes").path("defaultValue").asLong()).isEqualTo(ConnectionPool.DEFAULT_MAX_QUEUED_BYTES);
        assertThat(properties.get("wsrouter.idle-timeout").path("defaultValue").asText())
                .isEqualTo(ConnectionPool.DEFAULT_IDLE_TIMEOUT.toSeconds() + "s");
        assertThat(properties.get("wsrouter.path").path("defaultValue").asText()).isEqualTo("/ws");
    }
}
