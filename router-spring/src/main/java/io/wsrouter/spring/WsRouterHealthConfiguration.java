package io.wsrouter.spring;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.DeliveryStatistics;
import io.wsrouter.core.HandlerStatus;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Boot 4's health indicator {@code wsrouter} (module spring-boot-health, brought by the actuator): DOWN
 * when the router is closed or its handler status is ERROR, else UP, with the connection and delivery
 * figures as details.
 */
@AutoConfiguration(after = WsRouterAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(CanonicalMessageRouter.class)
public class WsRouterHealthConfiguration {

    /** Instantiated by Spring Boot's auto-configuration; apps do not create it. */
    public WsRouterHealthConfiguration() {
    }

    /**
     * The {@code wsrouter} health indicator.
     *
     * @param router the router
     * @return DOWN when the router is closed or its handler status is ERROR, else UP; the details are
     *         the handler status and, with a pool, its connection and delivery figures
     */
    @Bean
    @ConditionalOnMissingBean(name = "wsrouterHealthIndicator")
    public HealthIndicator wsrouterHealthIndicator(CanonicalMessageRouter router) {
        return () -> {
            HandlerStatus status = router.handlerStatus();
            Health.Builder health = router.isClosed() || status == HandlerStatus.ERROR ? Health.down() : Health.up();
            health.withDetail("handlerStatus", status.name());
            router.connectionPool().ifPresent(pool -> {
                DeliveryStatistics d = pool.deliveryStatistics();
                health.withDetail("activeConnections", pool.activeConnections())
                        .withDetail("connectedUsers", pool.connectedUsers())
                        .withDetail("framesSent", d.framesSent())
                        .withDetail("framesDropped", d.framesDropped())
                        .withDetail("sendFailures", d.sendFailures())
                        .withDetail("connectionsClosedSlow", d.connectionsClosedSlow())
                        .withDetail("connectionsClosedFailing", d.connectionsClosedFailing())
                        .withDetail("connectionsExpired", d.connectionsExpired());
            });
            return health.build();
        };
    }
}
