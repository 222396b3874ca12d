package io.wsrouter.quality;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default monitor's alerts: the open ones, de-duplicated by (agent, check), and a bounded history.
 * Alerts are rare, so one lock guards the book; listeners are called by the monitor outside it.
 */
final class AlertBook {

    /** What raised an alert: the unit of de-duplication together with the agent. */
    enum Check {
        MEAN_SCORE("quality_score"),
        SLOP_RATE("slop_detection_rate"),
        CIRCULAR("circular"),
        CRITICAL_FAILURE("critical");

        final String idPrefix;

        Check(String idPrefix) {
            this.idPrefix = idPrefix;
        }
    }

    private record OpenKey(String agent, Check check) {
    }

    private final int historySize;
    /** Every alert kept: the open ones and those in the history, by id, in raise order. */
    private final Map<String, QualityAlert> byId = new LinkedHashMap<>();
    private final Map<OpenKey, String> openByKey = new HashMap<>();
    private final ArrayDeque<String> history = new ArrayDeque<>();

    AlertBook(int historySize) {
        this.historySize = historySize;
    }

    /**
     * Raises an alert, or updates the open one of the same agent and check.
     *
     * @return the alert to tell listeners about: a new one, or an open one whose severity rose;
     *         empty when an open alert was only updated
     */
    synchronized Optional<QualityAlert> raise(String agent, Check check, AlertSeverity severity, MetricType metricType,
                                              String message, double value, double threshold,
                                              Map<String, Object> details, Instant now) {
        OpenKey key = new OpenKey(agent, check);
        String openId = openByKey.get(key);
        if (openId != null) {
            QualityAlert open = byId.get(openId);
            QualityAlert updated = new QualityAlert(open.id(), open.timestamp(), severity, metricType, agent,
                    message, value, threshold, details, open.acknowledged(), false);
            byId.put(openId, updated);
            return severity.compareTo(open.severity()) > 0 ? Optional.of(updated) : Optional.empty();
        }
        String id = check.idPrefix + "_" + agent + "_" + now.getEpochSecond();
        if (byId.containsKey(id)) {
            int n = 2;
            while (byId.containsKey(id + "_" + n)) {
                n++;
            }
            id = id + "_" + n;
        }
        QualityAlert alert = new QualityAlert(id, now, severity, metricType, agent, message, value, threshold,
                details, false, false);
        byId.put(id, alert);
        openByKey.put(key, id);
        history.addLast(id);
        if (history.size() > historySize) {
            String evicted = history.removeFirst();
            QualityAlert old = byId.get(evicted);
            if (old != null && old.resolved()) {
                byId.remove(evicted);
            }
        }
        return Optional.of(alert);
    }

    synchronized boolean acknowledge(String id) {
        QualityAlert alert = byId.get(id);
        if (alert == null) {
            return false;
        }
        byId.put(id, alert.withAcknowledged());
        return true;
    }

    synchronized boolean resolve(String id) {
        QualityAlert alert = byId.get(id);
        if (alert == null) {
            return false;
        }
        if (!alert.resolved()) {
            openByKey.values().remove(id);
            if (history.contains(id)) {
                byId.put(id, alert.withResolved());
            } else {
                byId.remove(id);   // open for longer than the history reaches back: nothing keeps it now
            }
        }
        return true;
    }

    synchronized List<QualityAlert> active() {
        List<QualityAlert> out = new ArrayList<>();
        for (QualityAlert alert : byId.values()) {
            if (!alert.resolved()) {
                out.add(alert);
            }
        }
        return out;
    }

    synchronized int[] activeAndCritical() {
        int active = 0;
        int critical = 0;
        for (QualityAlert alert : byId.values()) {
            if (!alert.resolved()) {
                active++;
                if (alert.severity() == AlertSeverity.CRITICAL) {
                    critical++;
                }
            }
        }
        return new int[] {active, critical};
    }

    /** @return the last {@code limit} alerts raised, oldest first, as they are now */
    synchronized List<QualityAlert> recent(int limit) {
        List<QualityAlert> out = new ArrayList<>(Math.min(limit, history.size()));
        int skip = Math.max(0, history.size() - limit);
        int i = 0;
        for (String id : history) {
            if (i++ >= skip) {
                out.add(byId.get(id));
            }
        }
        return out;
    }

    synchronized int size() {
        return byId.size();
    }
}
