package io.wsrouter.core;

import java.time.Clock;

/**
 * Where the pipeline reports what happened: the statistics recorder (always, called directly), the
 * host's observers (only when some were installed: {@link #observer} is null otherwise, so a router
 * without observers pays one null check per hook) and the rate-bounded log. Thread-safe.
 */
final class Telemetry {

    final StatisticsRecorder recorder;
    /** The host's observers, or null when none. */
    final RoutingObserver observer;
    private final RejectionLog log;
    private final Clock clock;

    Telemetry(StatisticsRecorder recorder, RoutingObserver observer, RejectionLog log, Clock clock) {
        this.recorder = recorder;
        this.observer = observer;
        this.log = log;
        this.clock = clock;
    }

    /** One call of a routeMessage entry ended. */
    void routed(String type, String handler, RouteOutcome outcome, long nanos) {
        recorder.messageRouted(type, handler, outcome, nanos);
        if (observer != null) {
            observer.messageRouted(type, handler, outcome, nanos);
        }
    }

    /** Counts a rejection without logging it (the caller logged it or it needs no line). */
    void rejected(ErrorCode code) {
        recorder.messageRejected(code);
        if (observer != null) {
            observer.messageRejected(code);
        }
    }

    /** Counts a rejection of client input and logs it, rate-bounded. */
    void rejected(ErrorCode code, String userId, String connectionId, String reason) {
        rejected(code);
        log.rejected(clock.millis(), userId, connectionId, code, reason);
    }

    /**
     * A handler (or method, or sub-dispatcher) threw on a client's message: counted as a handler
     * error, observed, logged rate-bounded.
     *
     * @param what how the log line names it ("handler x", "JSON-RPC method y")
     */
    void handlerFailed(String what, String handler, Message message, String userId, Throwable error) {
        recorder.handlerFailed(handler, message == null ? null : message.type(), error);
        if (observer != null) {
            observer.handlerFailed(handler, message == null ? null : message.type(), error);
        }
        log.handlerFailed(clock.millis(), what, message, userId, error);
    }

    /** The agent service refused a message: observed and logged, not counted as a handler error. */
    void serviceFailed(String service, Message message, String userId, Throwable error) {
        if (observer != null) {
            observer.handlerFailed(service, message == null ? null : message.type(), error);
        }
        log.handlerFailed(clock.millis(), service, message, userId, error);
    }
}
