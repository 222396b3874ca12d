package io.wsrouter.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.events.ConnectionPool;
import io.wsrouter.testkit.SilentPeer;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 3: a peer that stopped reading is aborted, not closed politely. A raw TCP client
 * does the WebSocket handshake by hand and then never reads; the server floods it until the pool's
 * tiny queue overflows and removes it as SLOW. The server's TCP connection must then be gone (Jetty
 * holds no endpoint for it), and when the client finally reads, the stream ends (EOF or reset) after
 * the frames already on the wire, without a close frame: a polite close would have queued its close
 * frame behind the stalled write, keeping the connection up until Jetty's idle timeout.
 */
class SlowReaderIsAbortedTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void aPeerThatStopsReadingIsRemovedAsSlowAndItsTcpConnectionDroppedWithoutACloseFrame() throws Exception {
        try (EndpointServer server = EndpointServer.start(transport -> CanonicalMessageRouter.builder()
                .connectionPool(ConnectionPool.builder(transport).maxQueuedFrames(4).build())
                .build());
             SilentPeer peer = SilentPeer.connect("127.0.0.1", server.port(), "/ws", Map.of(EndpointServer.USER_HEADER, "slowpoke"))) {
            ConnectionRegistry pool = server.router().connectionPool().orElseThrow();
            awaitTrue("slowpoke registered", () -> pool.connectionsOf("slowpoke").size() == 1);
            assertThat(server.connectedEndPoints()).isEqualTo(1);

            // Flood until the pool gives the connection up; the peer reads nothing meanwhile.
            Map<String, String> data = Map.of("blob", "x".repeat(16 * 1024));
            long emitted = 0;
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (pool.deliveryStatistics().connectionsClosedSlow() == 0) {
                assertThat(System.nanoTime()).as("the pool removed the silent reader within %s", BOUND).isLessThan(deadline);
                server.router().emitToUser("slowpoke", "flood", data);   // never blocks, however full the socket is
                emitted++;
            }
            assertThat(pool.connectionsOf("slowpoke")).isEmpty();

            awaitTrue("the server dropped the TCP connection", () -> server.connectedEndPoints() == 0);
            awaitTrue("the session is forgotten", () -> server.endpoint().openSessions() == 0);

            SilentPeer.StreamEnd end = peer.readUntilEnd();
            assertThat(end.closeFrames()).as("an abort sends no close frame").isZero();
            assertThat(end.textFrames()).as("frames that were on the wire").isLessThan(emitted);
            System.out.printf("slow reader: %d events emitted, %d frames reached the client before the stream ended (%s)%n",
                    emitted, end.textFrames(), end.how());
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
