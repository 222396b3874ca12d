package io.wsrouter.core;

import java.util.List;

/** Several {@link RoutingObserver}s as one, called in the order they were added; wraps nest (first outermost). */
final class Observers implements RoutingObserver {

    private final RoutingObserver[] all;

    private Observers(List<RoutingObserver> observers) {
        this.all = observers.toArray(new RoutingObserver[0]);
    }

    /** @return null for none (the router then calls nothing), the observer itself for one, else a composite */
    static RoutingObserver of(List<RoutingObserver> observers) {
        if (observers.isEmpty()) {
            return null;
        }
        return observers.size() == 1 ? observers.get(0) : new Observers(observers);
    }

    @Override
    public void messageRouted(String type, String handler, RouteOutcome outcome, long nanos) {
        for (RoutingObserver o : all) {
            o.messageRouted(type, handler, outcome, nanos);
        }
    }

    @Override
    public void messageRejected(ErrorCode code) {
        for (RoutingObserver o : all) {
            o.messageRejected(code);
        }
    }

    @Override
    public void handlerFailed(String handler, String type, Throwable error) {
        for (RoutingObserver o : all) {
            o.handlerFailed(handler, type, error);
        }
    }

    @Override
    public void framesDelivered(DeliveryOutcome outcome, long frames) {
        for (RoutingObserver o : all) {
            o.framesDelivered(outcome, frames);
        }
    }

    @Override
    public void connectionRemoved(String userId, String connectionId, RemovalReason reason) {
        for (RoutingObserver o : all) {
            o.connectionRemoved(userId, connectionId, reason);
        }
    }

    @Override
    public RouteOutcome observeRoute(Message message, RouteCall route) {
        return observeRoute(0, message, route);
    }

    private RouteOutcome observeRoute(int i, Message message, RouteCall route) {
        return i == all.length ? route.proceed() : all[i].observeRoute(message, () -> observeRoute(i + 1, message, route));
    }

    @Override
    public boolean observeHandler(String handler, Message message, HandlerCall call) throws Exception {
        return observeHandler(0, handler, message, call);
    }

    private boolean observeHandler(int i, String handler, Message message, HandlerCall call) throws Exception {
        return i == all.length ? call.proceed()
                : all[i].observeHandler(handler, message, () -> observeHandler(i + 1, handler, message, call));
    }
}
