package io.wsrouter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.RoutingObserver;
import io.wsrouter.micrometer.WsrouterMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** With router-micrometer on the class path, the router is built with the metrics' observer (and traces). */
class WsRouterMetricsConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WsRouterAutoConfiguration.class, WsRouterMetricsConfiguration.class));

    @Test
    void theRouterReportsToTheMetricsBeanThatBootBindsToItsRegistries() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(WsrouterMetrics.class).hasBean("wsrouterMetricsObserver");
            CanonicalMessageRouter router = context.getBean(CanonicalMessageRouter.class);
            router.registerConnection("alice", "a1");
            router.routeMessage("alice", "a1", "{\"type\":\"ping\"}");
            router.routeMessage("alice", "a1", "not json");

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(WsrouterMetrics.class).bindTo(registry); // what Boot's MeterRegistryPostProcessor does
            assertThat(registry.get("wsrouter.messages").tag("type", "ping").tag("outcome", "handled").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("wsrouter.messages.rejected").tag("code", "INVALID_JSON").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("wsrouter.connections").gauge().value()).isEqualTo(1);
        });
    }

    @Test
    void anObservationRegistryGetsOneObservationPerRoutedMessage() {
        List<String> started = new CopyOnWriteArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStart(Observation.Context context) {
                started.add(context.getName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        runner.withBean(ObservationRegistry.class, () -> observations).run(context -> {
            assertThat(context.getBeansOfType(RoutingObserver.class)).containsKeys("wsrouterMetricsObserver",
                    "wsrouterObservationObserver");
            CanonicalMessageRouter router = context.getBean(CanonicalMessageRouter.class);
            router.registerConnection("alice", "a1");
            router.routeMessage("alice", "a1", "{\"type\":\"ping\"}");
            assertThat(started).contains("wsrouter.message.route");
        });
    }

    @Test
    void withWsrouterDisabledNothingIsBound() {
        runner.withPropertyValues("wsrouter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(WsrouterMetrics.class));
    }
}
