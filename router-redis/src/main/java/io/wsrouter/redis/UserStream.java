package io.wsrouter.redis;

import io.wsrouter.core.Broker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * This node's view of one user's stream while the user has connections here: the connections, the
 * last offset delivered to them, and the events that arrived ahead of a gap. Events reach it from the
 * user's channel (any order the network gives) and from gap fills (reads of the stream in Redis); it
 * hands them to the outlet strictly in offset order, asking for a fill when an offset is missing.
 *
 * <p>Guarded by its own monitor. Nothing here waits for Redis: a fill is asked for and its answer comes
 * back later through {@link #filled}, so the channel's I/O thread never blocks.
 */
final class UserStream {

    /** What the stream needs from its broker. */
    interface Host {
        /** Asks Redis for offsets {@code from..to} of the user's stream; the answer comes back via {@link #filled}. */
        void fill(UserStream stream, long from, long to);

        void gapFilled();

        void gapNotFilled(String userId, long from, long to);
    }

    /** An event waiting for its turn. */
    record Event(long offset, String frame) {
    }

    final String userId;
    private final Broker.Outlet outlet;
    private final Host host;

    /** This node's connections of the user. */
    final Set<String> connections = new LinkedHashSet<>();
    /** The stream's epoch as this node knows it; null until the first touch answers. */
    private String epoch;
    /** The last offset handed to the connections; meaningful once epoch is known. */
    private long delivered;
    /** Offsets up to which Redis is known to hold events (a catch-up found the stream further on). */
    private long target;
    private final TreeMap<Long, Event> pending = new TreeMap<>();
    private boolean filling;
    /** Connections in the middle of a resume: their live events wait here. */
    private Map<String, List<Event>> held;
    /** Connections a resume brought further than {@link #delivered}: live events up to the floor are skipped. */
    private Map<String, Long> floors;
    /** The user's last connection left: events reach nobody and nothing is asked of Redis. */
    private boolean closed;

    UserStream(String userId, Broker.Outlet outlet, Host host) {
        this.userId = userId;
        this.outlet = outlet;
        this.host = host;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void close() {
        closed = true;
        pending.clear();
        held = null;
        floors = null;
    }

    synchronized String epoch() {
        return epoch;
    }

    synchronized long delivered() {
        return delivered;
    }

    /**
     * An event from the user's channel, or a position marker (empty frame: every event up to
     * {@code offset} was published before it, so what has not arrived by now was lost on the way).
     * The channel keeps Redis's order, so an offset beyond the next one means the ones between
     * will not come this way: they are read from the stream.
     */
    synchronized void received(String eventEpoch, long offset, String frame) {
        if (closed) {
            return;
        }
        if (epoch == null) {
            if (!frame.isEmpty()) {
                pending.put(offset, new Event(offset, frame)); // kept until the first position says where to start
                return;
            }
            // A marker before the first touch answered (that answer was lost or is late): start from it,
            // or from the first event that came before it, so nothing that arrived is dropped.
            epoch = eventEpoch;
            Map.Entry<Long, Event> first = pending.firstEntry();
            delivered = first == null ? offset : Math.min(offset, first.getKey() - 1);
            target = offset;
            drain();
            return;
        }
        if (!epoch.equals(eventEpoch)) {
            reset(eventEpoch); // Redis lost the stream and started a new one: its offsets start again at 1
        }
        if (frame.isEmpty()) {
            target = Math.max(target, offset);
        } else {
            pending.put(offset, new Event(offset, frame));
        }
        drain();
    }

    /**
     * Where the stream stood when this node's first connection of the user registered: live delivery
     * starts after it. Later positions come as markers on the channel ({@link #received}).
     */
    synchronized void position(String streamEpoch, long offset) {
        if (closed || epoch != null) {
            return;
        }
        epoch = streamEpoch;
        delivered = offset;
        target = offset;
        pending.values().removeIf(e -> e.offset() <= offset);
        drain();
    }

    /** The answer to {@link Host#fill}: the frames of offsets {@code from..}, in order, that history still had. */
    synchronized void filled(String streamEpoch, long streamOffset, long from, long to, List<String> frames) {
        filling = false;
        if (closed) {
            return;
        }
        if (streamEpoch == null) {
            return; // the stream is gone from Redis: the next touch starts a new epoch and resets
        }
        if (!streamEpoch.equals(epoch)) {
            reset(streamEpoch); // the new stream's events and markers come on the channel
            drain();
            return;
        }
        long next = from;
        long found = 0;
        for (String frame : frames) {
            long offset = offsetOf(frame, next);
            if (offset > delivered) {
                deliver(offset, frame);
                found++;
            }
            next = offset + 1;
        }
        if (delivered < to) {
            delivered = to; // what history no longer has cannot be delivered; clients see the jump and resume
        }
        if (found < to - from + 1) {
            host.gapNotFilled(userId, from, to);
        } else {
            host.gapFilled();
        }
        drain();
    }

    /** The fill failed (Redis unreachable): the next position or event asks again. */
    synchronized void fillFailed() {
        filling = false;
    }

    /** Delivers what is in order; asks for a fill at the first gap. */
    private void drain() {
        while (!filling) {
            Map.Entry<Long, Event> first = pending.firstEntry();
            if (first != null && first.getKey() <= delivered) {
                pending.pollFirstEntry();
                continue;
            }
            if (first != null && first.getKey() == delivered + 1) {
                pending.pollFirstEntry();
                deliver(first.getKey(), first.getValue().frame());
                continue;
            }
            long upTo = first != null ? first.getKey() - 1 : target;
            if (upTo > delivered) {
                filling = true;
                host.fill(this, delivered + 1, upTo);
            }
            return;
        }
    }

    private void reset(String newEpoch) {
        epoch = newEpoch;
        delivered = 0;
        target = 0;
        pending.clear();
        floors = null;
    }

    private void deliver(long offset, String frame) {
        delivered = offset;
        if (held == null && floors == null) {
            outlet.sendToUser(userId, frame);
            return;
        }
        for (String connection : connections) {
            List<Event> waiting = held == null ? null : held.get(connection);
            if (waiting != null) {
                waiting.add(new Event(offset, frame));
                continue;
            }
            Long floor = floors == null ? null : floors.get(connection);
            if (floor == null || floor < offset) {
                outlet.sendToConnection(userId, connection, frame);
            }
        }
        if (floors != null) {
            floors.values().removeIf(floor -> floor <= offset);
            if (floors.isEmpty()) {
                floors = null;
            }
        }
    }

    /** A resume of this connection starts: its live events wait until {@link #endResume}. */
    synchronized void beginResume(String connectionId) {
        if (held == null) {
            held = new HashMap<>();
        }
        held.put(connectionId, new ArrayList<>());
    }

    /**
     * A resume ends: the replayed frames, then the result frame, then the live events that waited
     * and come after the stream position the resume read; later live events skip what it covered.
     */
    synchronized void endResume(String connectionId, List<String> replay, String resultFrame, String streamEpoch,
                                long streamOffset) {
        List<Event> waiting = held == null ? null : held.remove(connectionId);
        if (held != null && held.isEmpty()) {
            held = null;
        }
        for (String frame : replay) {
            outlet.sendToConnection(userId, connectionId, frame);
        }
        outlet.sendToConnection(userId, connectionId, resultFrame);
        boolean sameEpoch = streamEpoch != null && streamEpoch.equals(epoch);
        if (waiting != null) {
            for (Event e : waiting) {
                // streamEpoch null: the resume could not read Redis, so the live events are all this connection gets
                if (streamEpoch == null || (sameEpoch && e.offset() > streamOffset)) {
                    outlet.sendToConnection(userId, connectionId, e.frame());
                }
            }
        }
        if (sameEpoch && !closed && streamOffset > delivered) {
            if (floors == null) {
                floors = new HashMap<>();
            }
            floors.put(connectionId, streamOffset); // the channel brings the events up to it; this connection skips them
        }
    }

    /** The offset of a stamped frame ({@code ...,"offset":N,"epoch":"E"}}), or {@code fallback}. */
    static long offsetOf(String frame, long fallback) {
        int at = frame.lastIndexOf("\"offset\":");
        if (at < 0) {
            return fallback;
        }
        long value = 0;
        for (int i = at + 9; i < frame.length(); i++) {
            char c = frame.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
