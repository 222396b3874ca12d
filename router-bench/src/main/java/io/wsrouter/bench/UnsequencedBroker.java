package io.wsrouter.bench;

import io.wsrouter.core.Broker;
import io.wsrouter.core.BrokerStatistics;
import io.wsrouter.core.ResumeResult;
import java.util.function.Function;

/**
 * The W2 baseline for the broker's cost: a {@link Broker} that hands each event straight to the pool,
 * with no offset, no epoch and no history, i.e. {@code emitToUser} as it was before offsets and
 * resume. Benchmarks only: it cannot resume.
 */
class UnsequencedBroker implements Broker { // not final: OffsetOnlyBroker adds only the offset

    /** The pool's side, once bound. */
    Outlet outlet;

    @Override
    public void bind(Outlet value) {
        this.outlet = value;
    }

    @Override
    public int publish(String userId, String frame) {
        return outlet.sendToUser(userId, frame);
    }

    @Override
    public ResumeResult resume(String userId, String connectionId, String epoch, long offset,
                               Function<ResumeResult, String> resultFrame) {
        throw new UnsupportedOperationException("the unsequenced baseline keeps no history");
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
}
