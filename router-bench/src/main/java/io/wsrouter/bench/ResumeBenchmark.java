package io.wsrouter.bench;

import io.wsrouter.core.CanonicalMessageRouter;
import io.wsrouter.core.ResumeResult;
import io.wsrouter.events.ConnectionPool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W5: a reconnecting tab's {@code resume} through the router, replaying the 100 events of its
 * user's history (the default {@code historySize}) to its connection, then {@code resume_result}.
 * One operation = one resume frame routed = 100 events replayed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ResumeBenchmark {

    /** Events in the user's history, all replayed by each resume. */
    public static final int EVENTS = 100;

    /** A router whose user "alice" has {@value #EVENTS} events in history and one connection. */
    @State(Scope.Benchmark)
    public static class History {
        CanonicalMessageRouter router;
        CountingTransport transport;
        String resumeFrame;

        /** Builds the router and the history. */
        @Setup(Level.Trial)
        public void setUp() {
            transport = new CountingTransport();
            router = CanonicalMessageRouter.builder()
                    .connectionPool(ConnectionPool.builder(transport).build())
                    .build();
            router.registerConnection("alice", "a1");
            for (int i = 0; i < EVENTS; i++) {
                router.emitToUser("alice", Workloads.EVENT_TYPE, Map.of("step", i, "reasoning", "thinking about step " + i));
            }
            ResumeResult probe = router.broker().orElseThrow()
                    .resume("alice", "a1", "", 0, r -> "{\"type\":\"resume_result\"}");
            resumeFrame = "{\"type\":\"resume\",\"payload\":{\"epoch\":\"" + probe.epoch() + "\",\"offset\":0}}";
            if (!router.routeMessage("alice", "a1", resumeFrame)) {
                throw new IllegalStateException("the resume was refused");
            }
            transport.reset();
        }

        /** Checks that every resume replayed the whole history, and closes the router. */
        @TearDown(Level.Trial)
        public void tearDown() {
            long frames = transport.frames();
            router.close();
            if (frames == 0 || frames % (EVENTS + 1) != 0) {
                throw new IllegalStateException("expected " + (EVENTS + 1) + " frames per resume, sent " + frames);
            }
        }
    }

    /** One resume: 100 events replayed, then the result. */
    @Benchmark
    public boolean resume100(History history) {
        return history.router.routeMessage("alice", "a1", history.resumeFrame);
    }
}
