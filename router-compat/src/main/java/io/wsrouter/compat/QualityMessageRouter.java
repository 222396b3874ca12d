package io.wsrouter.compat;

import io.wsrouter.core.WireJson;
import io.wsrouter.core.AgentService;
import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.Message;
import io.wsrouter.core.SubDispatcher;
import io.wsrouter.quality.QualityDispatcher;
import io.wsrouter.quality.QualityGateService;
import io.wsrouter.quality.QualityMonitoringService;
import java.util.Map;
import java.util.Objects;

/**
 * The legacy {@code QualityMessageRouter} ({@code services/websocket/quality_message_router.py}) as a
 * thin facade over one {@link CanonicalMessageRouter}. It holds that router and nothing else: the
 * five quality types are answered by the router's quality sub-dispatcher (a {@link QualityDispatcher},
 * reached through {@link CanonicalMessageRouter#qualityDispatcher()}), every other type by the
 * router's handler chain, and subscribers are the dispatcher's monitor's.
 *
 * <p><b>What a client sees now</b> (the legacy bugs are fixed, see {@link QualityDispatcher}): replies
 * are really delivered, in the wire envelope ({@code data}, not {@code payload}); {@code strict_mode}
 * applies; the dashboard is never empty by accident; {@code start_agent} starts the run and then sends
 * {@code quality_update}; errors are {@code error_message} frames with an
 * {@link io.wsrouter.core.ErrorCode}, not {@code {"type":"error","message":...}}; broadcasts reach the
 * real subscribers (the legacy MessageRouter copies read a fresh, empty monitor).
 *
 * <p><b>Delivery needs a pool.</b> The legacy constructor takes no transport, so the router it builds
 * has no connection pool and its replies and broadcasts reach nobody. To deliver them, build the
 * canonical router with a {@code ConnectionPool} and the quality dispatcher, and use
 * {@link #QualityMessageRouter(CanonicalMessageRouter)}.
 *
 * <p><b>Thread safety:</b> as the canonical router: every method may be called from many threads.
 *
 * <pre>{@code
 * QualityDispatcher quality = QualityDispatcher.builder().gate(gate).monitoring(monitoring).build();
 * CanonicalMessageRouter canonical = CanonicalMessageRouter.builder()
 *         .connectionPool(ConnectionPool.builder(manager).build())
 *         .quality(quality)
 *         .agentService(supervisor)
 *         .build();
 * QualityMessageRouter router = new QualityMessageRouter(canonical);
 * router.handleMessage("alice", Map.of("type", "validate_content",
 *         "payload", Map.of("content", answer, "content_type", "report", "strict_mode", true)));
 * router.broadcastQualityAlert(Map.of("message", "quality dropped", "severity", "warning"));
 * }</pre>
 *
 * @deprecated use {@link CanonicalMessageRouter} with a {@link QualityDispatcher}: each method names
 *             its replacement (the migration guide, docs/migration.md, has the full table).
 */
@Deprecated(since = "1.0", forRemoval = true)
public final class QualityMessageRouter {

    private final CanonicalMessageRouter router;

    /**
     * The legacy constructor: a private canonical router with the built-in handlers and a
     * {@link QualityDispatcher} over the given gate and monitor, and no connection pool (replies reach
     * nobody; see the class comment).
     *
     * @param supervisor       the agent service for {@code start_agent} (and for {@code user_message}
     *                         and {@code agent_request} in the handler chain); null for none, in which
     *                         case {@code start_agent} is answered with {@code AGENT_UNAVAILABLE}
     * @param dbSessionFactory accepted for source compatibility and ignored (no legacy handler used it)
     * @param gate             the quality gate; null for the default heuristic gate
     * @param monitoring       the quality monitor; null for the default in-memory monitor
     * @deprecated use {@code CanonicalMessageRouter.builder().quality(QualityDispatcher.builder()
     *             .gate(gate).monitoring(monitoring).build()).agentService(supervisor)...build()}
     */
    @Deprecated(since = "1.0", forRemoval = true)
    public QualityMessageRouter(AgentService supervisor, Object dbSessionFactory,
                                QualityGateService gate, QualityMonitoringService monitoring) {
        this(legacyRouter(supervisor, gate, monitoring));
    }

    /**
     * A facade over a canonical router that other facades and the host may share.
     *
     * @param canonical the router every call delegates to; it should have a {@link QualityDispatcher}
     *                  (without one, quality types are acknowledged as unhandled and the broadcast
     *                  methods throw)
     * @throws NullPointerException when canonical is null
     * @deprecated use the canonical router directly
     */
    @Deprecated(since = "1.0", forRemoval = true)
    public QualityMessageRouter(CanonicalMessageRouter canonical) {
        this.router = Objects.requireNonNull(canonical, "canonical");
    }

    private static CanonicalMessageRouter legacyRouter(AgentService supervisor, QualityGateService gate,
                                                       QualityMonitoringService monitoring) {
        QualityDispatcher.Builder quality = QualityDispatcher.builder();
        if (gate != null) {
            quality.gate(gate);
        }
        if (monitoring != null) {
            quality.monitoring(monitoring);
        }
        if (supervisor != null) {
            quality.agentService(supervisor);
        }
        CanonicalMessageRouter.Builder builder = CanonicalMessageRouter.builder().quality(quality.build());
        if (supervisor != null) {
            builder.agentService(supervisor);
        }
        return builder.build();
    }

    /**
     * {@return the canonical router this facade delegates to, for call sites that move to it and for
     *          building other facades over the same router}
     */
    public CanonicalMessageRouter canonical() {
        return router;
    }

    /**
     * Routes one message of a user ({@code handle_message(user_id, message)}). The quality types go to
     * the quality dispatcher, every other type through the canonical handler chain (legacy answered
     * those with {@code {"type":"error","message":"Unknown message type: ..."}}). {@code thread_id} and
     * {@code run_id} travel as message fields, read from the message's top level. Replies go to the
     * connection named by the message's {@code connection_id} when the user owns it, else to every
     * connection of the user. A map that is not a valid message gets the user an
     * {@code error_message} with its {@link io.wsrouter.core.ErrorCode}, counted as rejected, and nothing is routed.
     *
     * <p>Replacement: {@link CanonicalMessageRouter#routeConnectionlessFrame(String, String)} with the map's JSON
     * text, {@link CanonicalMessageRouter#routeMessage(String, Message)} with {@link Message#fromMap(Map)}, or {@link CanonicalMessageRouter#routeMessage(String, String, String)}
     * from the transport.
     *
     * @param userId  the authenticated user the message comes from
     * @param message the legacy message dict: {@code type}, optional {@code payload}, {@code thread_id},
     *                {@code run_id}, {@code connection_id}
     * @throws NullPointerException when an argument is null
     */
    public void handleMessage(String userId, Map<String, Object> message) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(message, "message");
        String frame;
        try {
            frame = WireJson.write(message);
        } catch (IllegalArgumentException e) {
            frame = null; // rejected by the router as INVALID_JSON, and counted
        }
        router.routeConnectionlessFrame(userId, frame);
    }

    /**
     * Sends {@code quality_update} with the update as {@code data} to every connection of every user
     * subscribed to quality alerts ({@code broadcast_quality_update}).
     *
     * <p>Replacement: {@link QualityDispatcher#broadcastQualityUpdate(Map)}.
     *
     * @param update the {@code data} of the event, serialized with Jackson
     * @throws NullPointerException  when update is null
     * @throws IllegalStateException when the canonical router has no {@link QualityDispatcher}
     */
    public void broadcastQualityUpdate(Map<String, Object> update) {
        Objects.requireNonNull(update, "update");
        quality().broadcastQualityUpdate(update);
    }

    /**
     * Sends {@code quality_alert} with the alert as {@code data}, its {@code severity} defaulting to
     * {@code "info"}, to every connection of every subscribed user ({@code broadcast_quality_alert}).
     *
     * <p>Replacement: {@link QualityDispatcher#broadcastQualityAlert(Map)}.
     *
     * @param alert the {@code data} of the event, serialized with Jackson; {@code severity} is added
     *              as {@code "info"} when absent or null
     * @throws NullPointerException  when alert is null
     * @throws IllegalStateException when the canonical router has no {@link QualityDispatcher}
     */
    public void broadcastQualityAlert(Map<String, Object> alert) {
        Objects.requireNonNull(alert, "alert");
        quality().broadcastQualityAlert(alert);
    }

    private QualityDispatcher quality() {
        SubDispatcher dispatcher = router.qualityDispatcher().orElseThrow(
                () -> new IllegalStateException("the canonical router has no quality sub-dispatcher"));
        if (dispatcher instanceof QualityDispatcher quality) {
            return quality;
        }
        throw new IllegalStateException("the canonical router's quality sub-dispatcher is a "
                + dispatcher.getClass().getName() + ", not an io.wsrouter.quality.QualityDispatcher");
    }
}
