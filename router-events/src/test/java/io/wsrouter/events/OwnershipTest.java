package io.wsrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.Admission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    private final RecordingManager manager = new RecordingManager();
    private final ConnectionPool pool = ConnectionPool.builder(manager).maxConnectionsPerUser(3).build();

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void firstAdmitRegistersAndLaterAdmitsAreOwned() {
        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.OWNED);
        assertThat(pool.ownerOf("c1")).contains("alice");
        assertThat(pool.activeConnections()).isEqualTo(1);
        assertThat(pool.connectedUsers()).isEqualTo(1);
    }

    @Test
    void anotherUserPresentingAnOwnedIdIsForbidden() {
        pool.admit("alice", "c1");
        assertThat(pool.admit("mallory", "c1")).isEqualTo(Admission.FORBIDDEN);
        assertThat(pool.ownerOf("c1")).contains("alice");
        assertThat(pool.connectionsOf("mallory")).isEmpty();
        assertThat(pool.connectedUsers()).isEqualTo(1);
    }

    @Test
    void unregisterOnBehalfOfAnotherUserChangesNothing() {
        pool.admit("alice", "c1");
        assertThat(pool.unregister("mallory", "c1")).isFalse();
        assertThat(pool.ownerOf("c1")).contains("alice");
        assertThat(pool.unregister("alice", "c1")).isTrue();
        assertThat(pool.ownerOf("c1")).isEmpty();
        assertThat(pool.unregister("alice", "c1")).isFalse();
    }

    @Test
    void sendToAConnectionOfAnotherUserIsRefusedAndNothingIsWritten() {
        pool.admit("alice", "c1");
        assertThat(pool.sendToConnection("mallory", "c1", "{\"x\":1}")).isFalse();
        assertThat(pool.sendToConnection("alice", "unknown", "{\"x\":1}")).isFalse();
        assertThat(manager.calls()).isZero();
        assertThat(pool.sendToConnection("alice", "c1", "{\"x\":2}")).isTrue();
        assertThat(manager.framesOf("c1")).containsExactly("{\"x\":2}");
    }

    @Test
    void pastTheLimitTheUserIsRefusedButOtherUsersAreNot() {
        pool.admit("alice", "c1");
        pool.admit("alice", "c2");
        pool.admit("alice", "c3");
        assertThat(pool.admit("alice", "c4")).isEqualTo(Admission.LIMIT_REACHED);
        assertThat(pool.admit("alice", "c2")).isEqualTo(Admission.OWNED);
        assertThat(pool.admit("bob", "c5")).isEqualTo(Admission.REGISTERED);
        pool.unregister("c2");
        assertThat(pool.admit("alice", "c4")).isEqualTo(Admission.REGISTERED);
    }

    @Test
    void connectionsOfIsACopyOldestFirst() {
        pool.admit("alice", "c2");
        pool.admit("alice", "c1");
        pool.admit("alice", "c3");
        List<String> ids = pool.connectionsOf("alice");
        assertThat(ids).containsExactly("c2", "c1", "c3");
        pool.unregister("c1");
        assertThat(ids).containsExactly("c2", "c1", "c3");
        assertThat(pool.connectionsOf("alice")).containsExactly("c2", "c3");
        assertThat(pool.connectionsOf("nobody")).isEmpty();
    }

    @Test
    void anIdFreedByUnregisterCanBeTakenByAnotherUser() {
        pool.admit("alice", "c1");
        pool.unregister("c1");
        assertThat(pool.admit("bob", "c1")).isEqualTo(Admission.REGISTERED);
        assertThat(pool.ownerOf("c1")).contains("bob");
        assertThat(pool.connectedUsers()).isEqualTo(1);
    }

    @Test
    void aClosedPoolAdmitsNobody() {
        pool.admit("alice", "c1");
        pool.close();
        assertThat(pool.admit("alice", "c1")).isEqualTo(Admission.CLOSED);
        assertThat(pool.admit("bob", "c2")).isEqualTo(Admission.CLOSED);
        assertThat(pool.activeConnections()).isZero();
        assertThat(pool.sendToUser("alice", "{}")).isZero();
    }

    @Test
    void twoUsersRacingForOneIdExactlyOneWins() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 300; round++) {
                String id = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Admission>> answers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String user = "user-" + t;
                    answers.add(threads.submit(() -> {
                        start.await();
                        return pool.admit(user, id);
                    }));
                }
                start.countDown();
                int registered = 0;
                int forbidden = 0;
                for (Future<Admission> a : answers) {
                    Admission admission = a.get(30, TimeUnit.SECONDS);
                    if (admission == Admission.REGISTERED) {
                        registered++;
                    } else if (admission == Admission.FORBIDDEN) {
                        forbidden++;
                    }
                }
                assertThat(registered).as("round %d", round).isEqualTo(1);
                assertThat(forbidden).as("round %d", round).isEqualTo(7);
                String owner = pool.ownerOf(id).orElseThrow();
                assertThat(pool.connectionsOf(owner)).contains(id);
                pool.unregister(id);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void thePerUserLimitHoldsUnderRacingRegistrations() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 100; round++) {
                String user = "user-" + round;
                CountDownLatch start = new CountDownLatch(1);
                ConcurrentLinkedQueue<Admission> answers = new ConcurrentLinkedQueue<>();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    done.add(threads.submit(() -> {
                        start.await();
                        for (int i = 0; i < 4; i++) {
                            answers.add(pool.admit(user, user + "/" + thread + "/" + i));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                assertThat(answers).filteredOn(a -> a == Admission.REGISTERED).hasSize(3);
                assertThat(answers).filteredOn(a -> a == Admission.LIMIT_REACHED).hasSize(29);
                assertThat(pool.connectionsOf(user)).hasSize(3);
            }
            assertThat(pool.activeConnections()).isEqualTo(300);
            assertThat(pool.connectedUsers()).isEqualTo(100);
        } finally {
            threads.shutdownNow();
        }
    }
}
