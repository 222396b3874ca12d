package io.wsrouter.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} for one test class: started on a free loopback port in a temp dir
 * with no persistence ({@code --save "" --appendonly no}), so tests can kill and restart it without
 * touching the machine's shared Redis on 6379.
 *
 * <p>{@link #missing()} says why the tests cannot run (no redis-server), and fails instead when
 * {@code CI=true}: CI must never pass without them. Used by router-redis's tests and router-tests.
 *
 * <pre>{@code
 * String missing = RedisServer.missing();          // null when redis-server is installed
 * Assumptions.assumeTrue(missing == null, missing);
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisBroker broker = RedisBroker.builder(redis.uri()).build();
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    /** The redis-server binary: {@code -Dwsrouter.redis.server}, default {@code /usr/bin/redis-server}. */
    public static final Path BINARY = Path.of(System.getProperty("wsrouter.redis.server", "/usr/bin/redis-server"));

    private final Path dir;
    private final int port;
    private final List<String> settings;
    private Process process;

    private RedisServer(Path dir, int port, List<String> settings) {
        this.dir = dir;
        this.port = port;
        this.settings = settings;
    }

    /**
     * @return why redis-server cannot be started here (with the install hint), or null when it can
     * @throws AssertionError when it is missing and {@code CI=true}
     */
    public static String missing() {
        if (Files.isExecutable(BINARY)) {
            return null;
        }
        String message = "redis-server (" + BINARY + ") is missing: install it with "
                + "`apt-get install -y redis-server` (Debian/Ubuntu) or set -Dwsrouter.redis.server=/path/to/redis-server";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI=true, so the Redis tests must run");
        }
        System.err.println("Redis tests skipped: " + message);
        return message;
    }

    /** @return a server started on a free loopback port */
    public static RedisServer start() throws Exception {
        return start(0, List.of());
    }

    /**
     * Starts a server with more settings, kept across {@link #restart()} (e.g. {@link RedisCluster}'s
     * {@code --cluster-enabled yes}).
     *
     * @param port     the loopback port, or 0 for a free one
     * @param settings more {@code redis-server} arguments; {@code {port}} in one stands for the port
     * @return the server, started
     */
    public static RedisServer start(int port, List<String> settings) throws Exception {
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
        }
        String portText = Integer.toString(port);
        List<String> resolved = settings.stream().map(s -> s.replace("{port}", portText)).toList();
        RedisServer server = new RedisServer(Files.createTempDirectory("wsrouter-redis-"), port, resolved);
        server.startProcess();
        return server;
    }

    /** @return {@code redis://127.0.0.1:port} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** Kills the server (SIGKILL): everything in it is gone. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** @return the directory the server runs in (its log, {@code redis.log}, and any files it writes) */
    public Path dir() {
        return dir;
    }

    /** Starts the server again on the same port (empty, or from the dump a SAVE wrote). */
    public void restart() throws Exception {
        kill();
        startProcess();
    }

    /** Sends one command over a plain socket and returns the raw reply. */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1 << 16];
            StringBuilder reply = new StringBuilder();
            do {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                reply.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            } while (!complete(reply.toString()));
            return reply.toString();
        }
    }

    /** Kills the connection of a client by name ({@code CLIENT KILL ID} of the one CLIENT LIST names so). */
    public void killClient(String name) throws IOException {
        for (String line : command("CLIENT", "LIST").split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                command("CLIENT", "KILL", "ID", id);
                return;
            }
        }
        throw new IllegalStateException("no client named " + name);
    }

    private static boolean complete(String reply) {
        if (reply.startsWith("$")) {
            int eol = reply.indexOf("\r\n");
            if (eol < 0) {
                return false;
            }
            int length = Integer.parseInt(reply.substring(1, eol));
            return length < 0 || reply.length() >= eol + 2 + length + 2;
        }
        return reply.endsWith("\r\n");
    }

    private void startProcess() throws Exception {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--protected-mode", "yes"));
        command.addAll(settings);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly)); // a killed test JVM leaves no server behind
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (command("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
