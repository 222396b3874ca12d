package io.wsrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.jakarta.JakartaSessions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/** The auto-configuration's beans, properties and back-off, without a server. */
class WsRouterAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WsRouterAutoConfiguration.class));

    @Test
    void aServletAppGetsTheSessionsPoolRouterHandlerAndEndpoint() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(JakartaSessions.class).hasSingleBean(ConnectionPool.class)
                    .hasSingleBean(CanonicalMessageRouter.class).hasSingleBean(RouterWebSocketHandler.class)
                    .hasBean("wsrouterWebSocketConfigurer");
            assertThat(context.getBean(WebSocketConfigurer.class)).isNotNull();
        });
    }

    @Test
    void settingsComeFromWsrouterProperties() {
        runner.withPropertyValues("wsrouter.max-frame-bytes=1024", "wsrouter.path=/chat")
                .run(context -> {
                    assertThat(context.getBean(CanonicalMessageRouter.class).limits().maxFrameBytes()).isEqualTo(1024);
                    assertThat(context.getBean(WsRouterProperties.class).getPath()).isEqualTo("/chat");
                });
    }

    /** A user's own pool and user resolver: lite-mode bean methods, not scanned. */
    static class OwnBeans {
        @Bean
        JakartaSessions mySessions() {
            return new JakartaSessions();
        }

        @Bean
        ConnectionPool myPool(JakartaSessions sessions) {
            return ConnectionPool.builder(sessions).maxConnectionsPerUser(2).build();
        }

        @Bean
        UserResolver myUserResolver() {
            return request -> Optional.of("always-alice");
        }
    }

    @Test
    void everyBeanBacksOffForTheUsersOwn() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasSingleBean(ConnectionPool.class).hasBean("myPool").doesNotHaveBean("wsrouterConnectionPool");
            assertThat(context).hasSingleBean(JakartaSessions.class).hasBean("mySessions");
            assertThat(context.getBean(CanonicalMessageRouter.class).connectionPool()).containsSame(context.getBean(ConnectionPool.class));
        });
    }

    @Test
    void wsrouterEnabledFalseTurnsItOff() {
        runner.withPropertyValues("wsrouter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CanonicalMessageRouter.class));
    }
}
