package io.wsrouter.testkit;

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
import java.util.Map;

/**
 * A WebSocket peer that stops reading: a plain TCP socket that does the opening handshake by hand
 * (with a small receive buffer) and then reads nothing until the test calls {@link #readUntilEnd()},
 * which tells how the server ended the stream. Tests use it to show that a server aborts a peer that
 * stopped reading instead of queueing a close frame behind the stalled write.
 *
 * <pre>{@code
 * try (SilentPeer peer = SilentPeer.connect("127.0.0.1", port, "/ws?user=slow", Map.of())) {
 *     // flood the peer until the server gives it up ...
 *     SilentPeer.StreamEnd end = peer.readUntilEnd();
 *     assertThat(end.closeFrames()).isZero();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test thread uses it.
 */
public final class SilentPeer implements AutoCloseable {

    /** How long a read may wait for the server before the stream is declared still open: 10 s. */
    public static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;

    private SilentPeer(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects and completes the WebSocket handshake.
     *
     * @param target  the path and query, for example {@code /ws?user=slow}
     * @param headers extra handshake headers (authentication, Origin)
     * @throws IOException when the connection fails or the server does not answer 101
     */
    public static SilentPeer connect(String host, int port, String target, Map<String, String> headers) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append(':').append(port).append("\r\n")
                    .append("Upgrade: websocket\r\n")
                    .append("Connection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("the server refused the handshake: " + head);
            }
            return new SilentPeer(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during the handshake: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /**
     * How the server's stream ended.
     *
     * @param textFrames  text frames read before the end
     * @param closeFrames close frames read (0 when the server aborted)
     * @param how         {@code "EOF"} or {@code "reset: ..."}
     */
    public record StreamEnd(long textFrames, long closeFrames, String how) {
    }

    /**
     * Starts reading at last: reads the server's (unmasked) frames until the stream ends.
     *
     * @throws AssertionError when a read waits {@value #READ_TIMEOUT_MILLIS} ms: the server still holds the connection
     */
    public StreamEnd readUntilEnd() throws IOException {
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
