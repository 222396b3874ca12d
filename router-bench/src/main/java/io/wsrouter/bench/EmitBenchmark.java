package io.wsrouter.bench;

import io.wsrouter.core.Broker;
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

/**
 * W2: one {@code agent_thinking} event to one user among {@value #USERS}, each with
 * {@code connectionsPerUser} connections, the target drawn uniformly (a precomputed random sequence, so
 * no hot user stays in cache). The transport completes every send at once and counts it. Run with
 * {@code -prof gc} for the allocation per event.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class EmitBenchmark {

    /** Users registered in every peer. */
    public static final int USERS = 100_000;

    /** wsrouter: {@code CanonicalMessageRouter.emitToUser} over a {@code ConnectionPool}. */
    @State(Scope.Benchmark)
    public static class Wsrouter {
        /** Connections of every user. */
        @Param({"1", "4"})
        public int connectionsPerUser;

        CanonicalMessageRouter router;
        CountingTransport transport;
        String[] users;
        int[] targets;

        /** Registers the population. */
        @Setup(Level.Trial)
        public void setUp() {
            setUp(USERS);
        }

        void setUp(int userCount) {
            Population population = new Population(userCount, connectionsPerUser);
            transport = new CountingTransport();
            router = WsrouterSetup.emitRouter(transport, population, broker());
            users = population.users;
            targets = Workloads.uniformTargets(userCount, 11L);
        }

        /** @return the broker: the default in-memory one (offsets, history) */
        Broker broker() {
            return Broker.inMemory();
        }

        /** Checks that frames were sent, and closes the router. */
        @TearDown(Level.Trial)
        public void tearDown() {
            router.close();
            Checks.delivered("wsrouter", transport.frames());
        }
    }

    /** wsrouter without sequencing: {@code emitToUser} as before offsets and resume (the broker's cost baseline). */
    @State(Scope.Benchmark)
    public static class WsrouterUnsequenced extends Wsrouter {
        @Override
        Broker broker() {
            return new UnsequencedBroker();
        }
    }

    /** wsrouter with the floor of per-user state: an offset counted beside the pool, no stamp, no history. */
    @State(Scope.Benchmark)
    public static class WsrouterOffsetOnly extends Wsrouter {
        @Override
        Broker broker() {
            return new OffsetOnlyBroker();
        }
    }

    /** The naive port: user -> set of connection ids, envelope serialized per connection. */
    @State(Scope.Benchmark)
    public static class Naive {
        /** Connections of every user. */
        @Param({"1", "4"})
        public int connectionsPerUser;

        NaiveConnectionPool pool;
        CountingTransport transport;
        String[] users;
        int[] targets;

        /** Registers the population. */
        @Setup(Level.Trial)
        public void setUp() {
            setUp(USERS);
        }

        void setUp(int userCount) {
            Population population = new Population(userCount, connectionsPerUser);
            transport = new CountingTransport();
            pool = new NaiveConnectionPool(transport);
            for (int c = 0; c < population.connections.length; c++) {
                pool.registerConnection(population.ownerOf(c), population.connections[c]);
            }
            users = population.users;
            targets = Workloads.uniformTargets(userCount, 11L);
        }

        /** Checks that frames were sent. */
        @TearDown(Level.Trial)
        public void tearDown() {
            Checks.delivered("naive", transport.frames());
        }
    }

    /** Spring's user messaging, with one of the broker's destination-cache configurations. */
    @State(Scope.Benchmark)
    public abstract static class SpringState {
        /** Sessions of every user. */
        @Param({"1", "4"})
        public int connectionsPerUser;

        SpringUserMessaging spring;
        String[] users;
        int[] targets;

        abstract SpringUserMessaging.CacheMode cacheMode();

        abstract String label();

        /** Connects and subscribes every session. */
        @Setup(Level.Trial)
        public void setUp() {
            setUp(USERS);
        }

        void setUp(int userCount) {
            spring = springFor(cacheMode(), userCount, connectionsPerUser);
            users = new Population(userCount, 1).users;
            targets = Workloads.uniformTargets(userCount, 11L);
        }

        /** Checks that messages were delivered. */
        @TearDown(Level.Trial)
        public void tearDown() {
            spring.stop();
            Checks.delivered(label(), spring.delivered());
        }
    }

    /** Spring with the broker's destination cache as configured by default (1024 destinations). */
    public static class SpringDefaultCache extends SpringState {
        @Override
        SpringUserMessaging.CacheMode cacheMode() {
            return SpringUserMessaging.CacheMode.DEFAULT;
        }

        @Override
        String label() {
            return "spring-default-cache";
        }
    }

    /** Spring with the destination cache raised to hold every destination, and warm. */
    public static class SpringRaisedCache extends SpringState {
        @Override
        SpringUserMessaging.CacheMode cacheMode() {
            return SpringUserMessaging.CacheMode.RAISED;
        }

        @Override
        String label() {
            return "spring-raised-cache";
        }
    }

    /** Where this thread is in the random target sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int next(int[] targets) {
            return targets[next++ & (Workloads.TARGET_COUNT - 1)];
        }
    }

    static SpringUserMessaging springFor(SpringUserMessaging.CacheMode mode, int userCount, int connectionsPerUser) {
        Population population = new Population(userCount, connectionsPerUser);
        SpringUserMessaging spring = new SpringUserMessaging(mode, population.connections.length, true);
        spring.populate(population.principals(), population.owners(), population.connections);
        return spring;
    }

    /** wsrouter. */
    @Benchmark
    public boolean wsrouter(Wsrouter wsrouter, Cursor cursor) {
        return wsrouter.router.emitToUser(wsrouter.users[cursor.next(wsrouter.targets)], Workloads.EVENT_TYPE, Workloads.EVENT_DATA);
    }

    /** wsrouter without the broker's sequencing and history (the cost baseline of offsets). */
    @Benchmark
    public boolean wsrouterUnsequenced(WsrouterUnsequenced wsrouter, Cursor cursor) {
        return wsrouter.router.emitToUser(wsrouter.users[cursor.next(wsrouter.targets)], Workloads.EVENT_TYPE, Workloads.EVENT_DATA);
    }

    /** wsrouter with only a per-user offset counted beside the pool (the floor of the broker's cost). */
    @Benchmark
    public boolean wsrouterOffsetOnly(WsrouterOffsetOnly wsrouter, Cursor cursor) {
        return wsrouter.router.emitToUser(wsrouter.users[cursor.next(wsrouter.targets)], Workloads.EVENT_TYPE, Workloads.EVENT_DATA);
    }

    /** The naive port. */
    @Benchmark
    public int naive(Naive naive, Cursor cursor) {
        return naive.pool.emitToUser(naive.users[cursor.next(naive.targets)], Workloads.EVENT_TYPE, Workloads.EVENT_DATA);
    }

    /** Spring, default destination cache. */
    @Benchmark
    public void springDefaultCache(SpringDefaultCache spring, Cursor cursor) {
        spring.spring.emitToUser(spring.users[cursor.next(spring.targets)], Workloads.EVENT_DATA);
    }

    /** Spring, destination cache raised to every destination. */
    @Benchmark
    public void springRaisedCache(SpringRaisedCache spring, Cursor cursor) {
        spring.spring.emitToUser(spring.users[cursor.next(spring.targets)], Workloads.EVENT_DATA);
    }
}
