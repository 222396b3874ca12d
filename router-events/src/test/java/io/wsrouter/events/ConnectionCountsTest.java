package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {

    @Test
    void connectionCountsListsEveryUserWithLiveConnectionsAsACopy() {
        try (ConnectionPool pool = ConnectionPool.builder((c, f) -> CompletableFuture.completedFuture(null)).build()) {
            assertThat(pool.connectionCounts()).isEmpty();
            pool.admit("alice", "a1");
            pool.admit("alice", "a2");
            pool.admit("bob", "b1");
            Map<String, Integer> counts = pool.connectionCounts();
            assertThat(counts).isEqualTo(Map.of("alice", 2, "bob", 1));
            pool.unregister("b1");
            assertThat(pool.connectionCounts()).isEqualTo(Map.of("alice", 2));
            assertThat(counts).containsEntry("bob", 1); // the earlier snapshot did not change
        }
    }
}
