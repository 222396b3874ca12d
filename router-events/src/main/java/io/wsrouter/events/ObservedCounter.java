package io.wsrouter.events;

import io.wsrouter.core.DeliveryObserver;
import io.wsrouter.core.DeliveryOutcome;
import java.util.concurrent.atomic.LongAdder;

/**
 * A delivery counter of the pool that also tells the router's {@link DeliveryObserver}, when one was
 * set ({@link io.wsrouter.core.FrameDelivery#observeDelivery}): the pool's code keeps calling
 * {@code increment()} and {@code add(n)} where it counts, and observation costs one volatile read
 * when nobody observes.
 */
final class ObservedCounter extends LongAdder {

    private static final long serialVersionUID = 1L;

    private final DeliveryOutcome outcome;
    private transient volatile DeliveryObserver observer;

    ObservedCounter(DeliveryOutcome outcome) {
        this.outcome = outcome;
    }

    void observe(DeliveryObserver value) {
        this.observer = value;
    }

    @Override
    public void add(long x) {
        super.add(x);
        DeliveryObserver o = observer;
        if (o != null && x > 0) {
            o.framesDelivered(outcome, x);
        }
    }
}
