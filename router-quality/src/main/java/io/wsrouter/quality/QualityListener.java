package io.wsrouter.quality;

import java.util.List;

/**
 * Told by a {@link QualityMonitoringService} when it raises an alert and when it completes a
 * monitoring cycle. The {@link QualityDispatcher} registers one to push {@code quality_alert} and
 * {@code quality_update} frames to subscribed users.
 *
 * <p>Called on the thread that raised the alert (the one recording an event, or the monitor's cycle
 * thread); must be fast, thread-safe, and should not throw (an exception is logged and ignored).
 *
 * <pre>{@code
 * monitor.addListener(alert -> pager.page(alert.agent(), alert.message()));
 * }</pre>
 */
@FunctionalInterface
public interface QualityListener {

    /**
     * An alert was raised, or an open alert was raised again with a higher severity.
     *
     * @param alert the alert as it is now
     */
    void alertRaised(QualityAlert alert);

    /**
     * A monitoring cycle completed; by default nothing happens.
     *
     * @param trends the trends computed by the cycle
     * @param raised the alerts the cycle raised (also passed one by one to {@link #alertRaised})
     */
    default void cycleCompleted(List<QualityTrend> trends, List<QualityAlert> raised) {
    }
}
