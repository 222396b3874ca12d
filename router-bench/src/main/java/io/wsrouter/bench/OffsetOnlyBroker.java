package io.wsrouter.bench;

import io.wsrouter.core.Broker;
import io.wsrouter.core.BrokerStatistics;
import io.wsrouter.core.ResumeResult;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The floor of any broker that keeps per-user state beside the pool: a {@link Broker} that only counts
 * each user's offset (one map lookup, one lock, one increment) and hands the frame to the pool unchanged,
 * with no stamp and no history. Not a usable broker (its frames carry no offset and it cannot resume):
 * it measures what the lookup of a user's state costs by itself when that state is not in cache, against
 * {@link UnsequencedBroker}, so that the in-memory broker's W2 cost can be split into that floor and its
 * own work.
 */
final class OffsetOnlyBroker implements Broker {

    private final ConcurrentHashMap<String, Counter> offsets = new ConcurrentHashMap<>();
    private Outlet outlet;

    @Override
    public void bind(Outlet value) {
        this.outlet = value;
    }

    @Override
    public int publish(String userId, String frame) {
        Counter c = offsets.get(userId);
        if (c == null) {
            c = offsets.computeIfAbsent(userId, u -> new Counter());
        }
        synchronized (c) {
            c.offset++;
            return outlet.sendToUser(userId, frame);
        }
    }

    @Override
    public ResumeResult resume(String userId, String connectionId, String epoch, long offset,
                               Function<ResumeResult, String> resultFrame) {
        throw new UnsupportedOperationException("the offset-only floor keeps no history");
    }

    @Override
    public void connectionOpened(String userId, String connectionId) {
    }

    @Override
    public void connectionClosed(String userId, String connectionId) {
    }

    @Override
    public BrokerStatistics statistics() {
        return BrokerStatistics.EMPTY;
    }

    @Override
    public void close() {
    }

    private static final class Counter {
        long offset;
    }
}
