package io.wsrouter.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wsrouter.core.Broker;
import io.wsrouter.core.RoutingObserver;
import io.wsrouter.core.SubDispatcher;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.micrometer.WsrouterMetrics;
import io.wsrouter.micrometer.WsrouterObservation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds router-micrometer when it and Micrometer are on the class path: a {@link WsrouterMetrics}
 * bean (a {@code MeterBinder}, which Boot binds to every {@code MeterRegistry} it configures) whose
 * observer the router is built with, and, when the app has an {@link ObservationRegistry} (Boot's
 * observation auto-configuration, micrometer-tracing), an observer that opens one observation per
 * routed message and per handler call. Every bean is {@link ConditionalOnMissingBean}.
 */
@AutoConfiguration(after = WsRouterAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration", // Boot 4
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})   // Boot 3.5
@ConditionalOnClass({MeterRegistry.class, WsrouterMetrics.class})
@ConditionalOnBean({ConnectionPool.class, Broker.class})
@ConditionalOnProperty(prefix = "wsrouter", name = "enabled", havingValue = "true", matchIfMissing = true)
public class WsRouterMetricsConfiguration {

    /** Instantiated by Spring Boot's auto-configuration; apps do not create it. */
    public WsRouterMetricsConfiguration() {
    }

    /**
     * The meters of the router, its pool, its quality dispatcher and its broker.
     *
     * @param pool    the router's connection pool
     * @param broker  the router's broker
     * @param quality the quality sub-dispatcher, when the context has one
     * @return the metrics, bound by Boot to every {@code MeterRegistry}
     */
    @Bean
    @ConditionalOnMissingBean
    public WsrouterMetrics wsrouterMetrics(ConnectionPool pool, Broker broker, ObjectProvider<SubDispatcher> quality) {
        WsrouterMetrics.Builder builder = WsrouterMetrics.builder().connectionPool(pool).broker(broker);
        quality.ifAvailable(builder::quality);
        return builder.build();
    }

    /**
     * What the router reports to: the metrics' observer (picked up by the router's auto-configuration).
     *
     * @param metrics the metrics bean
     * @return {@link WsrouterMetrics#observer()}
     */
    @Bean
    @ConditionalOnMissingBean(name = "wsrouterMetricsObserver")
    public RoutingObserver wsrouterMetricsObserver(WsrouterMetrics metrics) {
        return metrics.observer();
    }

    /** One observation (a span, with micrometer-tracing) per routed message and per handler call. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    static class Observations {

        @Bean
        @ConditionalOnMissingBean(name = "wsrouterObservationObserver")
        RoutingObserver wsrouterObservationObserver(ObservationRegistry registry) {
            return WsrouterObservation.observer(registry);
        }
    }
}
