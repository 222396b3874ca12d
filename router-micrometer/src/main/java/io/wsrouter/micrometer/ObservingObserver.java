package io.wsrouter.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.wsrouter.core.Message;
import io.wsrouter.core.RouteOutcome;
import io.wsrouter.core.RoutingObserver;

/**
 * The observer behind {@link WsrouterObservation}: wraps each route and handler call in an
 * {@link Observation} with its scope open. Thread-safe (the bounded tag maps are).
 */
final class ObservingObserver implements RoutingObserver {

    private final ObservationRegistry registry;
    private final BoundedTags<String> types;
    private final BoundedTags<String> handlers;

    ObservingObserver(ObservationRegistry registry, int maxTypeTags) {
        Object lock = new Object();
        this.registry = registry;
        this.types = new BoundedTags<>(lock, maxTypeTags, t -> t, WsrouterMetrics.UNKNOWN_TYPE);
        this.handlers = new BoundedTags<>(lock, WsrouterMetrics.DEFAULT_MAX_HANDLER_TAGS, h -> h, MeterObserver.OTHER_HANDLER);
    }

    @Override
    public RouteOutcome observeRoute(Message message, RouteCall route) {
        String type = message.type();
        Observation observation = Observation.createNotStarted(WsrouterObservation.ROUTE, registry)
                .highCardinalityKeyValue("message_type", type)
                .start();
        RouteOutcome outcome = null;
        Observation.Scope scope = observation.openScope();
        try {
            outcome = route.proceed();
            return outcome;
        } catch (RuntimeException | Error e) {
            observation.error(e);
            throw e;
        } finally {
            scope.close();
            String tag = types.get(type, outcome == RouteOutcome.HANDLED || outcome == RouteOutcome.FAILED);
            observation.contextualName("route " + tag)
                    .lowCardinalityKeyValue("type", tag)
                    .lowCardinalityKeyValue("outcome", outcome == null ? "error" : MeterObserver.lower(outcome))
                    .stop();
        }
    }

    @Override
    public boolean observeHandler(String handler, Message message, HandlerCall call) throws Exception {
        String name = handlers.get(handler, true);
        Observation observation = Observation.createNotStarted(WsrouterObservation.HANDLE, registry)
                .contextualName("handle " + name)
                .lowCardinalityKeyValue("handler", name)
                .start();
        String outcome = "error";
        boolean handled = false;
        Observation.Scope scope = observation.openScope();
        try {
            handled = call.proceed();
            outcome = handled ? "handled" : "declined";
            return handled;
        } catch (Exception | Error e) {
            observation.error(e);
            throw e;
        } finally {
            scope.close();
            observation.lowCardinalityKeyValue("type", types.get(message.type(), handled))
                    .lowCardinalityKeyValue("outcome", outcome)
                    .stop();
        }
    }
}
