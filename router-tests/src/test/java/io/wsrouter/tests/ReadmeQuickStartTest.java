package io.wsrouter.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.AgentRun;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.events.WebSocketManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quick start compiles, runs, and is the code below, line for line. */
class ReadmeQuickStartTest {

    /** Stands for the container's session: sends text asynchronously. */
    static final class Session {
        final List<String> sent = new CopyOnWriteArrayList<>();

        CompletionStage<Void> sendText(String frame) {
            sent.add(frame);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Stands for the host's agents. */
    static final class Agents {
        void start(String content, AgentRun run) {
            run.emit("agent_started", "supervisor", Map.of("content", content));
        }
    }

    @Test
    void quickStartRunsAsWritten() {
        Map<String, Session> sessions = new ConcurrentHashMap<>();
        Agents myAgents = new Agents();
        String userId = "alice";
        String sessionId = "s-1";
        String text = "{\"type\":\"user_message\",\"payload\":{\"content\":\"hello\"}}";
        sessions.put(sessionId, new Session());

        // quick-start:begin
        WebSocketManager transport = (connectionId, frame) -> sessions.get(connectionId).sendText(frame); // CompletionStage<Void>
        ConnectionPool pool = ConnectionPool.builder(transport).idleTimeout(Duration.ofMinutes(5)).build();
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(pool)
                .agentService((request, run) -> myAgents.start(request.content(), run))
                .build();

        // in your WebSocket endpoint:
        router.registerConnection(userId, sessionId);        // on open (userId from your authenticated handshake)
        router.routeMessage(userId, sessionId, text);         // on every text frame
        router.unregisterConnection(sessionId);               // on close

        // anywhere in the backend:
        router.emitToUser(userId, "agent_thinking", Map.of("reasoning", "Looking at your data"));
        // quick-start:end

        assertThat(sessions.get(sessionId).sent).singleElement().asString()
                .contains("\"type\":\"agent_started\"").contains("\"content\":\"hello\"");
        router.close();
    }

    @Test
    void readmeShowsExactlyThisCode() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/wsrouter/tests/ReadmeQuickStartTest.java"));
        String test = source.substring(source.indexOf("// quick-start:begin") + "// quick-start:begin".length(),
                source.indexOf("        // quick-start:end"));
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("```java", readme.indexOf("<!-- quick-start -->")) + "```java".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        assertThat(normalise(snippet)).isEqualTo(normalise(test));
    }

    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
