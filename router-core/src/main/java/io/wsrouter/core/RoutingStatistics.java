package io.wsrouter.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable snapshot of a router's figures, taken by {@link CanonicalMessageRouter#statistics()}.
 * Counters are monotonic over the router's life; the connection figures are the values at the time of
 * the snapshot. The maps are unmodifiable copies.
 *
 * <p>{@link #toMap()} gives the legacy snake_case form ({@code messages_routed},
 * {@code unhandled_messages}, {@code handler_errors}, {@code message_types}, ...).
 *
 * @param messagesRouted        messages that entered routing (parsed and admitted), batch items included
 * @param unhandledMessages     messages no handler took; the sender got an {@code ack}
 * @param handlerErrors         exceptions thrown by handlers and sub-dispatchers
 * @param rejectedMessages      frames refused with an error code (bad input, forbidden, limits, ...)
 * @param messageTypes          messages per canonical type; bounded: types that are neither known nor
 *                              claimed by a handler, and any past the key limit, count under {@code "unknown"}
 * @param qualityMessages       messages taken by the quality sub-dispatcher
 * @param connectionEvents      connects, disconnects and registrations seen
 * @param activeConnections     registered connections now (0 without a pool)
 * @param connectedUsers        users with a connection now (0 without a pool)
 * @param qualityHandlersActive handlers of the quality sub-dispatcher (0 without one)
 * @param startupElapsed        time since the router was built
 * @param rejectionsByCode      rejections per {@link ErrorCode} name
 * @param handlerStatistics     per handler name: handled and error counts
 * @param routingTime           the time of every {@code routeMessage} call: count, mean, exact max, p50/p90/p99
 * @param delivery              the pool's delivery figures ({@link DeliveryStatistics#EMPTY} without a pool)
 */
public record RoutingStatistics(
        long messagesRouted,
        long unhandledMessages,
        long handlerErrors,
        long rejectedMessages,
        Map<String, Long> messageTypes,
        long qualityMessages,
        long connectionEvents,
        int activeConnections,
        int connectedUsers,
        int qualityHandlersActive,
        Duration startupElapsed,
        Map<String, Long> rejectionsByCode,
        Map<String, HandlerStatistics> handlerStatistics,
        RoutingTime routingTime,
        DeliveryStatistics delivery) {

    /**
     * Copies the maps; rejects nulls.
     *
     * @param messagesRouted        messages that entered routing (parsed and admitted), batch items included
     * @param unhandledMessages     messages no handler took; the sender got an {@code ack}
     * @param handlerErrors         exceptions thrown by handlers and sub-dispatchers
     * @param rejectedMessages      frames refused with an error code (bad input, forbidden, limits, ...)
     * @param messageTypes          messages per canonical type; bounded: types that are neither known nor
     *                              claimed by a handler, and any past the key limit, count under {@code "unknown"}
     * @param qualityMessages       messages taken by the quality sub-dispatcher
     * @param connectionEvents      connects, disconnects and registrations seen
     * @param activeConnections     registered connections now (0 without a pool)
     * @param connectedUsers        users with a connection now (0 without a pool)
     * @param qualityHandlersActive handlers of the quality sub-dispatcher (0 without one)
     * @param startupElapsed        time since the router was built
     * @param rejectionsByCode      rejections per {@link ErrorCode} name
     * @param handlerStatistics     per handler name: handled and error counts
     * @param routingTime           the time of every {@code routeMessage} call: count, mean, exact max, p50/p90/p99
     * @param delivery              the pool's delivery figures ({@link DeliveryStatistics#EMPTY} without a pool)
     */
    public RoutingStatistics {
        messageTypes = Map.copyOf(messageTypes);
        rejectionsByCode = Map.copyOf(rejectionsByCode);
        handlerStatistics = Map.copyOf(handlerStatistics);
        Objects.requireNonNull(startupElapsed, "startupElapsed");
        Objects.requireNonNull(routingTime, "routingTime");
        Objects.requireNonNull(delivery, "delivery");
    }

    /** {@return the mean time of a {@code routeMessage} call, in nanoseconds ({@link RoutingTime#meanNanos()})} */
    public long averageRoutingNanos() {
        return routingTime.meanNanos();
    }

    /** {@return the longest {@code routeMessage} call, in nanoseconds ({@link RoutingTime#maxNanos()})} */
    public long maxRoutingNanos() {
        return routingTime.maxNanos();
    }

    /**
     * {@return a new mutable map with the legacy snake_case keys: {@code messages_routed},
     *          {@code unhandled_messages}, {@code handler_errors}, {@code rejected_messages},
     *          {@code message_types}, {@code quality_messages}, {@code connection_events},
     *          {@code active_connections}, {@code connected_users}, {@code quality_handlers_active},
     *          {@code startup_elapsed_seconds}, {@code rejections_by_code}, {@code handler_stats}
     *          ({@code {name: {handled, errors}}}), {@code routing_time} ({@code count}, {@code average_ms},
     *          {@code max_ms}, {@code p50_ms}, {@code p90_ms}, {@code p99_ms}) and {@code delivery} (snake_case delivery figures)}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("messages_routed", messagesRouted);
        map.put("unhandled_messages", unhandledMessages);
        map.put("handler_errors", handlerErrors);
        map.put("rejected_messages", rejectedMessages);
        map.put("message_types", new LinkedHashMap<>(messageTypes));
        map.put("quality_messages", qualityMessages);
        map.put("connection_events", connectionEvents);
        map.put("active_connections", activeConnections);
        map.put("connected_users", connectedUsers);
        map.put("quality_handlers_active", qualityHandlersActive);
        map.put("startup_elapsed_seconds", startupElapsed.toMillis() / 1000.0);
        map.put("rejections_by_code", new LinkedHashMap<>(rejectionsByCode));
        Map<String, Object> handlers = new LinkedHashMap<>();
        handlerStatistics.forEach((name, s) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("handled", s.handled());
            entry.put("errors", s.errors());
            handlers.put(name, entry);
        });
        map.put("handler_stats", handlers);
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("count", routingTime.count());
        timing.put("average_ms", routingTime.meanNanos() / 1_000_000.0);
        timing.put("max_ms", routingTime.maxNanos() / 1_000_000.0);
        timing.put("p50_ms", routingTime.p50Nanos() / 1_000_000.0);
        timing.put("p90_ms", routingTime.p90Nanos() / 1_000_000.0);
        timing.put("p99_ms", routingTime.p99Nanos() / 1_000_000.0);
        map.put("routing_time", timing);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("frames_sent", delivery.framesSent());
        d.put("frames_dropped", delivery.framesDropped());
        d.put("send_failures", delivery.sendFailures());
        d.put("connections_closed_slow", delivery.connectionsClosedSlow());
        d.put("connections_closed_failing", delivery.connectionsClosedFailing());
        d.put("connections_expired", delivery.connectionsExpired());
        d.put("frames_queued", delivery.framesQueued());
        map.put("delivery", d);
        return map;
    }
}
