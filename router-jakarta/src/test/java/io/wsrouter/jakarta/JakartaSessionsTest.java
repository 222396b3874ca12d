package io.wsrouter.jakarta;

import static io.wsrouter.testkit.TestSocket.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.RemovalReason;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class JakartaSessionsTest {

    @Test
    void closeReasonsFollowTheTableEveryAdapterShares() {
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.UNREGISTERED)).isNull();
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.IDLE).getCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.IDLE).getReasonPhrase()).isEqualTo("idle timeout");
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.SHUTDOWN).getCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(JakartaSessions.closeReasonFor(RemovalReason.SHUTDOWN).getReasonPhrase()).isEqualTo("server shutting down");
        for (RemovalReason abortive : new RemovalReason[] {RemovalReason.SLOW, RemovalReason.FAILING}) {
            assertThat(JakartaSessions.closeReasonFor(abortive).getCloseCode()).isEqualTo(CloseCodes.CLOSED_ABNORMALLY);
        }
    }

    @Test
    void aSendToAnUnknownConnectionFailsWithoutThrowing() {
        assertThat(new JakartaSessions().sendToConnection("nobody", "{}").toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void anAbortIsNotHeldUpByClosesStuckOnOtherPeers() throws Exception {
        // A polite close to a peer that stopped reading waits on the container (Tomcat: up to its 20 s
        // blocking-send timeout). On a single close thread (the common pool of a 2-core machine) every
        // later close, aborts included, queued behind it.
        JakartaSessions sessions = new JakartaSessions();
        int stuckCount = JakartaSessions.CLOSE_THREADS - 1;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allStuck = new CountDownLatch(stuckCount);
        try {
            for (int i = 0; i < stuckCount; i++) {
                sessions.opened("stuck-" + i, session(reason -> {
                    allStuck.countDown();
                    awaitQuietly(release);
                }));
                sessions.connectionClosed("alice", "stuck-" + i, RemovalReason.IDLE);
            }
            assertThat(allStuck.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("%d closes waiting on the container at once", stuckCount).isTrue();
            CompletableFuture<CloseReason> aborted = new CompletableFuture<>();
            sessions.opened("slow", session(aborted::complete));
            sessions.connectionClosed("bob", "slow", RemovalReason.SLOW);
            assertThat(aborted.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).getCloseCode())
                    .isEqualTo(CloseCodes.CLOSED_ABNORMALLY);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPoliteCloseWaitsAtMostTwoSecondsOnTomcatAndAnAbortKeepsTomcatsOwnBound() throws Exception {
        JakartaSessions sessions = new JakartaSessions();
        Map<String, Object> idle = new ConcurrentHashMap<>();
        Map<String, Object> slow = new ConcurrentHashMap<>();
        CompletableFuture<CloseReason> idleClosed = new CompletableFuture<>();
        CompletableFuture<CloseReason> slowClosed = new CompletableFuture<>();
        sessions.opened("idle", session(idleClosed::complete, idle));
        sessions.opened("slow", session(slowClosed::complete, slow));
        sessions.connectionClosed("alice", "idle", RemovalReason.IDLE);
        sessions.connectionClosed("alice", "slow", RemovalReason.SLOW);
        idleClosed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        slowClosed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        // Tomcat reads it as a Long; anything else would be ignored and leave its 20 s default.
        assertThat(idle).containsEntry(JakartaSessions.TOMCAT_BLOCKING_SEND_TIMEOUT_PROPERTY, 2_000L);
        assertThat(slow).doesNotContainKey(JakartaSessions.TOMCAT_BLOCKING_SEND_TIMEOUT_PROPERTY);
    }

    /** An open session whose {@code close(CloseReason)} runs {@code onClose}; nothing else is used. */
    private static Session session(Consumer<CloseReason> onClose) {
        return session(onClose, new ConcurrentHashMap<>());
    }

    private static Session session(Consumer<CloseReason> onClose, Map<String, Object> userProperties) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "isOpen":
                            return true;
                        case "close":
                            onClose.accept(args == null ? null : (CloseReason) args[0]);
                            return null;
                        case "getId":
                            return "fake";
                        case "getUserProperties":
                            return userProperties;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "fake session";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
