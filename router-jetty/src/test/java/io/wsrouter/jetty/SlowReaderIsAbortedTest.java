package io.wsrouter.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ConnectionRegistry;
import io.wsrouter.events.ConnectionPool;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
             Socket raw = new Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            raw.setSoTimeout(10_000);
            handshake(raw, server.port(), "slowpoke");
            ConnectionRegistry pool = server.router().connectionPool().orElseThrow();
            awaitTrue("slowpoke registered", () -> pool.connectionsOf("slowpoke").size() == 1);
            assertThat(server.connectedEndPoints()).isEqualTo(1);

            // Flood until the pool gives the connection up; the client reads nothing meanwhile.
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

            StreamEnd end = readUntilTheStreamEnds(raw);
            assertThat(end.closeFrames).as("an abort sends no close frame").isZero();
            assertThat(end.textFrames).as("frames that were on the wire").isLessThan(emitted);
            System.out.printf("slow reader: %d events emitted, %d frames reached the client before the stream ended (%s)%n",
                    emitted, end.textFrames, end.how);
        }
    }

    private static void handshake(Socket socket, int port, String user) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + EndpointServer.USER_HEADER + ": " + user + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during the handshake: " + head);
            }
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    }

    private record StreamEnd(long textFrames, long closeFrames, String how) {
    }

    /** Reads server frames (unmasked) until the stream ends; counts text and close frames. */
    private static StreamEnd readUntilTheStreamEnds(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        long text = 0;
        long close = 0;
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                in.skipNBytes(length);
                int opcode = b0 & 0x0F;
                if (opcode == 0x1) {
                    text++;
                } else if (opcode == 0x8) {
                    close++;
                }
            }
        } catch (EOFException e) {
            return new StreamEnd(text, close, "EOF");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stream did not end: the server still holds the connection open", e);
        } catch (SocketException e) {
            return new StreamEnd(text, close, "reset: " + e.getMessage());
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
