package io.wsrouter.bench;

import io.wsrouter.core.CanonicalMessageRouter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * W1: one ~150-byte JSON text frame from a registered connection, parsed and dispatched to the handler
 * of its type among at least twelve, whose handler reads one payload field. Equal work in the three
 * peers: parse, dispatch, read {@code payload.content}. The {@code extraHandlers} parameter registers
 * that many more custom handlers (for types never sent) before the target handler; Spring's mapping is
 * a fixed set of methods, so it runs with its twelve only.
 *
 * <p>Threads share one router (Scope.Benchmark); each thread is its own connection.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouteBenchmark {

    /** Connections registered up front, one per benchmark thread (more threads register on first frame). */
    static final int MAX_THREADS = 8;

    /** wsrouter: {@code CanonicalMessageRouter.routeMessage(user, connection, frame)}. */
    @State(Scope.Benchmark)
    public static class Wsrouter {
        /** Custom handlers registered besides the target one. */
        @Param({"0", "10", "100", "1000"})
        public int extraHandlers;

        CanonicalMessageRouter router;
        CountingTransport transport;
        final ContentSink sink = new ContentSink();
        /** An observer to install (the paired comparison's observed variant); null: none. */
        io.wsrouter.core.RoutingObserver observer;

        /** Builds the router. */
        @Setup(Level.Trial)
        public void setUp() {
            transport = new CountingTransport();
            router = WsrouterSetup.routeRouter(transport, extraHandlers, sink, MAX_THREADS, observer);
        }

        /** Checks that the handler ran, and closes the router. */
        @TearDown(Level.Trial)
        public void tearDown() {
            router.close();
            Checks.handled("wsrouter", sink);
        }
    }

    /** The naive port: readTree plus a linear canHandle scan. */
    @State(Scope.Benchmark)
    public static class Naive {
        /** Custom handlers registered before the target one. */
        @Param({"0", "10", "100", "1000"})
        public int extraHandlers;

        NaiveLegacyRouter router;
        final ContentSink sink = new ContentSink();

        /** Builds the router. */
        @Setup(Level.Trial)
        public void setUp() {
            router = new NaiveLegacyRouter();
            NaiveHandlers.register(router, extraHandlers, sink);
        }

        /** Checks that the handler ran. */
        @TearDown(Level.Trial)
        public void tearDown() {
            Checks.handled("naive", sink);
        }
    }

    /** Spring: STOMP SEND decoded and dispatched to a {@code @MessageMapping} method. */
    @State(Scope.Benchmark)
    public static class Spring {
        SpringStompInbound inbound;
        final ContentSink sink = new ContentSink();

        /** Builds the application context and the annotation handler. */
        @Setup(Level.Trial)
        public void setUp() {
            inbound = new SpringStompInbound(sink);
        }

        /** Checks that the controller ran, and closes the context. */
        @TearDown(Level.Trial)
        public void tearDown() {
            inbound.close();
            Checks.handled("spring", sink);
        }
    }

    /** One connection per benchmark thread. */
    @State(Scope.Thread)
    public static class Connection {
        String userId;
        String connectionId;
        String stompFrame;
        SpringStompInbound.Session session;

        /** Names this thread's user and connection. */
        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            init(thread.getThreadIndex());
        }

        void init(int index) {
            userId = Workloads.userId(index);
            connectionId = connectionId(index);
            stompFrame = Workloads.stompSend(Workloads.USER_MESSAGE, Workloads.FRAME);
            session = new SpringStompInbound.Session(connectionId, userId);
        }

        /** @return the connection id of benchmark thread {@code index} */
        static String connectionId(int index) {
            return Workloads.connectionIds(index + 1, 7L)[index];
        }
    }

    /** wsrouter. */
    @Benchmark
    public boolean wsrouter(Wsrouter router, Connection connection) {
        return router.router.routeMessage(connection.userId, connection.connectionId, Workloads.FRAME);
    }

    /** The naive port. */
    @Benchmark
    public boolean naive(Naive router, Connection connection) {
        return router.router.routeMessage(connection.userId, connection.connectionId, Workloads.FRAME);
    }

    /** Spring STOMP. */
    @Benchmark
    public boolean spring(Spring spring, Connection connection) {
        return spring.inbound.receive(connection.session, connection.stompFrame);
    }
}
