package io.wsrouter.spring;

import static io.wsrouter.testkit.TestSocket.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.jakarta.JakartaSessions;
import io.wsrouter.testkit.TestSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** Spring Framework without Boot: a WebSocketConfigurer registers the handler; a DispatcherServlet on embedded Tomcat serves it. */
class PlainSpringTest {

    @Configuration
    @EnableWebSocket
    static class WebSocketConfig implements WebSocketConfigurer {
        @Bean
        JakartaSessions sessions() {
            return new JakartaSessions();
        }

        @Bean
        CanonicalMessageRouter router(JakartaSessions sessions) {
            return CanonicalMessageRouter.builder().connectionPool(ConnectionPool.builder(sessions).build()).build();
        }

        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            RouterWebSocketHandler.builder(router(sessions()), sessions())
                    .userResolver(request -> Optional.ofNullable(request.getHeaders().getFirst("X-Test-User")))
                    .build()
                    .register(registry, "/ws");
        }
    }

    @Test
    void aWebSocketConfigurerRegistersTheHandlerWithItsHandshakeChecks() throws Exception {
        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(WebSocketConfig.class);
        Path base = Files.createTempDirectory("wsrouter-plain-spring");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        context.addServletContainerInitializer(new WsSci(), null);
        Wrapper dispatcher = Tomcat.addServlet(context, "dispatcher", new DispatcherServlet(spring));
        dispatcher.setLoadOnStartup(1);
        dispatcher.addMapping("/");
        tomcat.start();
        try {
            URI ws = URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws");
            try (TestSocket carol = TestSocket.connect(ws, Map.of("X-Test-User", "carol"))) {
                carol.send("{\"type\":\"ping\"}");
                assertThat(carol.awaitFrame(f -> true, PATIENCE)).contains("\"pong\"").contains("carol");
            }
            assertThatThrownBy(() -> TestSocket.connect(ws, Map.of()))
                    .isInstanceOfSatisfying(TestSocket.HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> TestSocket.connect(ws, Map.of("X-Test-User", "carol", "Origin", "https://evil.example")))
                    .isInstanceOfSatisfying(TestSocket.HandshakeRefused.class, e -> assertThat(e.status()).isEqualTo(403));
        } finally {
            tomcat.stop();
            tomcat.destroy();
            spring.close();
        }
    }
}
