package io.wsrouter.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.AgentService;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.testkit.TestSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.Test;

/** The README's Jakarta (Tomcat) quick start compiles, runs on a real Tomcat, and is the code below, line for line. */
class ReadmeJakartaTest {

    /** Stands for the host's token check. */
    static final class Tokens {
        Optional<String> userOf(String authorization) {
            return "Bearer token-of-alice".equals(authorization) ? Optional.of("alice") : Optional.empty();
        }
    }

    @Test
    void jakartaQuickStartRunsAsWritten() throws Exception {
        AgentService agents = new ScriptedAgents();
        Tokens tokens = new Tokens();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("wsrouter-readme").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);

        // quick-start-jakarta:begin
        JakartaSessions sessions = new JakartaSessions();                  // the pool's transport: Jakarta sessions
        CanonicalMessageRouter router = CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(sessions).build())
                .agentService(agents)
                .build();
        Context context = tomcat.addContext("", null);
        context.addServletContainerInitializer(new WsSci(), null);         // Tomcat's Jakarta WebSocket container
        Tomcat.addServlet(context, "wsrouter", RouterServlet.builder(router, sessions)
                .userResolver(request -> tokens.userOf(request.getHeader("Authorization")))   // default: the Principal
                .allowedOrigins("https://chat.example.com")                // default: same origin only
                .build()).addMapping("/ws");
        tomcat.start();
        // quick-start-jakarta:end

        try (TestSocket alice = TestSocket.connect(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws"),
                Map.of("Authorization", "Bearer token-of-alice", "Origin", "https://chat.example.com"))) {
            alice.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"hello\"}}");
            assertThat(alice.awaitFrame(f -> f.contains("\"agent_completed\""), TestSocket.PATIENCE)).contains("supervisor");
        } finally {
            router.close();
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void readmeShowsExactlyThisCode() throws Exception {
        assertThat(readmeSnippet("<!-- quick-start-jakarta -->"))
                .isEqualTo(testSnippet("src/test/java/io/wsrouter/jakarta/ReadmeJakartaTest.java", "quick-start-jakarta"));
    }

    /** The code between {@code // <marker>:begin} and {@code // <marker>:end} of a test source, normalised. */
    static String testSnippet(String source, String marker) throws Exception {
        String text = Files.readString(Path.of(source));
        String begin = "// " + marker + ":begin";
        return normalise(text.substring(text.indexOf(begin) + begin.length(), text.indexOf("// " + marker + ":end")));
    }

    /** The first java block after the marker comment in the root README, normalised. */
    static String readmeSnippet(String marker) throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int at = readme.indexOf(marker);
        assertThat(at).as("README marker " + marker).isNotNegative();
        int start = readme.indexOf("```java", at) + "```java".length();
        return normalise(readme.substring(start, readme.indexOf("```", start)));
    }

    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
