package io.wsrouter.spring.readme;

import static io.wsrouter.testkit.TestSocket.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.testkit.TestSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The README's Spring Boot quick start ({@link ChatBackend}) runs as a real Boot app, and is that code, line for line. */
@SpringBootTest(classes = ChatBackend.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "wsrouter.allowed-origins=https://chat.example.com")
class ReadmeSpringTest {

    @Value("${local.server.port}")
    int port;
    @Autowired
    Notifier notifier;

    @Test
    void springQuickStartRunsAsWritten() throws Exception {
        try (TestSocket alice = TestSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"),
                Map.of("Authorization", "Bearer alice", "Origin", "https://chat.example.com"))) {
            alice.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"hello\"}}");
            assertThat(alice.awaitFrame(f -> f.contains("\"agent_completed\""), PATIENCE)).contains("you said hello");
            notifier.thinking("alice");
            assertThat(alice.awaitFrame(f -> f.contains("\"agent_thinking\""), PATIENCE)).contains("Looking at your data");
        }
    }

    @Test
    void readmeShowsExactlyThisCode() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/wsrouter/spring/readme/ChatBackend.java"));
        String code = source.substring(source.indexOf("// quick-start-spring:begin") + "// quick-start-spring:begin".length(),
                source.indexOf("// quick-start-spring:end"));
        String readme = Files.readString(Path.of("../README.md"));
        int at = readme.indexOf("<!-- quick-start-spring -->");
        assertThat(at).as("README marker").isNotNegative();
        int start = readme.indexOf("```java", at) + "```java".length();
        assertThat(normalise(readme.substring(start, readme.indexOf("```", start)))).isEqualTo(normalise(code));
    }

    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
