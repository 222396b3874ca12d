package io.wsrouter.quality;

import io.wsrouter.core.WireJson;
import io.wsrouter.core.AgentService;
import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import io.wsrouter.core.SubDispatcher;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QualityDispatcher}: a fixed table from type to one of the five handlers, error
 * mapping, and the bridge from monitor alerts to subscribers' connections.
 */
final class DefaultQualityDispatcher implements QualityDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultQualityDispatcher.class);

    private final QualityGateService gate;
    private final QualityMonitoringService monitoring;
    private final AgentService agentService;
    private final Clock clock;
    private final Map<String, MessageHandler> handlers;
    private final AtomicReference<SubDispatcher.Host> router = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final QualityListener toSubscribers = new QualityListener() {
        @Override
        public void alertRaised(QualityAlert alert) {
            broadcast("quality_alert", WireJson.toMap(alert));
        }

        @Override
        public void cycleCompleted(List<QualityTrend> trends, List<QualityAlert> raised) {
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("trends", trends);
            update.put("alerts", raised);
            update.put("timestamp", clock.instant().toString());
            broadcast("quality_update", update);
        }
    };

    DefaultQualityDispatcher(QualityGateService gate, QualityMonitoringService monitoring, AgentService agentService,
                             Clock clock, int maxContentLength) {
        this.gate = gate;
        this.monitoring = monitoring;
        this.agentService = agentService;
        this.clock = clock;
        Map<String, MessageHandler> table = new LinkedHashMap<>();
        for (MessageHandler h : List.of(
                new QualityMetricsHandler(monitoring),
                new QualityAlertSubscriptionHandler(monitoring),
                new QualityStartAgentHandler(this::agentService, monitoring),
                new ContentValidationHandler(gate, maxContentLength),
                new QualityReportHandler(monitoring, clock))) {
            h.messageTypes().forEach(type -> table.put(type, h));
        }
        this.handlers = Map.copyOf(table);
        monitoring.addListener(toSubscribers);
    }

    @Override
    public Set<String> claimedTypes() {
        return CLAIMED_TYPES;
    }

    @Override
    public boolean dispatch(RoutingContext context, Message message) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(message, "message");
        MessageHandler handler = handlers.get(message.type());
        if (handler == null) {
            return false;
        }
        try {
            return handler.handle(context, message);
        } catch (BadPayload e) {
            context.replyError(e.code(), e.getMessage());
            return true;
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.warn("quality handler {} failed on {} from user {}", handler.name(), message, context.userId(), e);
            context.replyError(ErrorCode.QUALITY_ERROR, "the quality service failed on '" + message.type() + "'");
            return true;
        }
    }

    @Override
    public void attach(SubDispatcher.Host value) {
        Objects.requireNonNull(value, "router");
        if (!router.compareAndSet(null, value) && router.get() != value) {
            throw new IllegalStateException("this QualityDispatcher is already attached to another router");
        }
    }

    @Override
    public int activeHandlers() {
        return handlers.size();
    }

    @Override
    public void broadcastQualityUpdate(Map<String, Object> update) {
        Objects.requireNonNull(update, "update");
        broadcast("quality_update", update);
    }

    @Override
    public void broadcastQualityAlert(Map<String, Object> alert) {
        Objects.requireNonNull(alert, "alert");
        Map<String, Object> data = new LinkedHashMap<>(alert);
        if (data.get("severity") == null) {
            data.put("severity", "info");
        }
        broadcast("quality_alert", data);
    }

    /** Sends to every connection of every subscriber; drops subscribers without a connection. */
    private void broadcast(String type, Object data) {
        SubDispatcher.Host r = router.get();
        if (r == null || !r.isOpen()) {
            LOG.debug("{} not sent: the quality dispatcher is not attached to an open router", type);
            return;
        }
        boolean pooled = r.hasConnectionPool();
        for (String user : monitoring.subscribers()) {
            try {
                if (r.emitToUser(user, type, data) == 0 && pooled) {
                    monitoring.unsubscribe(user);
                    LOG.debug("unsubscribed {} from quality alerts: no open connection", user);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not send {} to subscriber {}", type, user, e);
            }
        }
    }

    private Optional<AgentService> agentService() {
        if (agentService != null) {
            return Optional.of(agentService);
        }
        SubDispatcher.Host r = router.get();
        return r == null ? Optional.empty() : r.agentService();
    }

    @Override
    public QualityGateService gate() {
        return gate;
    }

    @Override
    public QualityMonitoringService monitoring() {
        return monitoring;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            monitoring.removeListener(toSubscribers);
            monitoring.stop();
        }
    }

    @Override
    public String toString() {
        return "QualityDispatcher[gate=" + gate + ", monitoring=" + monitoring + "]";
    }
}
