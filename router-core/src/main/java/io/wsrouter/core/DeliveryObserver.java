package io.wsrouter.core;

/**
 * Told the outcome of every frame a {@link FrameDelivery} handled (see
 * {@link FrameDelivery#observeDelivery(DeliveryObserver)}). {@link RoutingObserver} extends it, so a
 * router's observer receives the pool's delivery outcomes too.
 *
 * <p>Called on the pool's threads (the caller's or the transport's completion thread): must be fast,
 * thread-safe and must not throw.
 */
@FunctionalInterface
public interface DeliveryObserver {

    /**
     * Frames reached an outcome (usually one at a time; a queue dropped on removal reports its count).
     *
     * @param outcome {@link DeliveryOutcome#SENT}, {@link DeliveryOutcome#DROPPED} or {@link DeliveryOutcome#FAILED}
     * @param frames  how many frames, at least 1
     */
    void framesDelivered(DeliveryOutcome outcome, long frames);
}
