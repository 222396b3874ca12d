package io.wsrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/**
 * The in-memory broker's memory bound, measured as used heap after GC (not timed): 100,000 users,
 * each connected with a few events of a realistic agent-event size.
 */
class BrokerMemoryTest {

    private static final int USERS = 100_000;
    private static final int EVENTS_PER_USER = 5;

    @Test
    void theHistoryOfOneHundredThousandUsersStaysWithinTheMemoryBound() {
        long bound = 32L * 1024 * 1024;
        Broker broker = Broker.inMemoryBuilder().maxHistoryBytes(bound).build();
        broker.bind(new Broker.Outlet() {
            @Override
            public int sendToUser(String userId, String frame) {
                return 1;
            }

            @Override
            public boolean sendToConnection(String userId, String connectionId, String frame) {
                return true;
            }

            @Override
            public boolean isConnected(String userId) {
                return true;
            }
        });
        String[] users = new String[USERS];
        for (int i = 0; i < USERS; i++) {
            users[i] = ("user-" + i).intern();
        }
        String frame = "{\"type\":\"agent_thinking\",\"data\":{\"reasoning\":\"" + "x".repeat(120)
                + "\",\"step\":3},\"timestamp\":\"2026-12-01T06:00:00.000Z\",\"run_id\":\"run-123456\",\"agent_name\":\"analyst\"}";
        long before = usedAfterGc();
        for (int e = 0; e < EVENTS_PER_USER; e++) {
            for (String user : users) {
                broker.publish(user, frame);
            }
        }
        long after = usedAfterGc();
        BrokerStatistics stats = broker.statistics();
        long grown = after - before;
        System.out.printf("broker memory: %,d users x %d events of %d chars; bound %,d B; history %,d events, %,d B (estimated);"
                        + " %,d evicted; heap grew %,d B after GC (%.1f B per user)%n",
                USERS, EVENTS_PER_USER, frame.length(), bound, stats.historyEvents(), stats.historyBytes(),
                stats.eventsEvicted(), grown, (double) grown / USERS);

        assertThat(stats.historyBytes()).isLessThanOrEqualTo(bound);
        assertThat(stats.eventsEvicted()).isPositive();
        // Without the bound the frames alone would be ~140 MB. Allowed: the bound (frames are Latin-1,
        // one byte a character, so the estimate is generous) plus the streams themselves, which the
        // bound does not cover (~250 B each: object, epoch, map node, deque).
        assertThat(grown).isLessThan(bound + USERS * 400L);
        broker.close();
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
