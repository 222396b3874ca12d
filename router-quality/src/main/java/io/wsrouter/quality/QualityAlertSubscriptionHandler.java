package io.wsrouter.quality;

import io.wsrouter.core.ErrorCode;
import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import java.util.Map;
import java.util.Set;

/** {@code subscribe_quality_alerts}: {@code action} subscribe (default) or unsubscribe. */
final class QualityAlertSubscriptionHandler implements MessageHandler {

    private final QualityMonitoringService monitoring;

    QualityAlertSubscriptionHandler(QualityMonitoringService monitoring) {
        this.monitoring = monitoring;
    }

    @Override
    public Set<String> messageTypes() {
        return Set.of("subscribe_quality_alerts");
    }

    @Override
    public boolean handle(RoutingContext context, Message message) throws BadPayload {
        String action = Payloads.text(message, "action", ErrorCode.INVALID_ACTION).orElse("subscribe");
        switch (action) {
            case "subscribe":
                monitoring.subscribe(context.userId());
                context.reply("quality_alerts_subscribed", Map.of("status", "subscribed"));
                return true;
            case "unsubscribe":
                monitoring.unsubscribe(context.userId());
                context.reply("quality_alerts_unsubscribed", Map.of("status", "unsubscribed"));
                return true;
            default:
                throw new BadPayload(ErrorCode.INVALID_ACTION, "action must be 'subscribe' or 'unsubscribe'");
        }
    }
}
