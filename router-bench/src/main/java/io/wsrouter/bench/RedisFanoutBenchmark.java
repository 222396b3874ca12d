package io.wsrouter.bench;

import io.wsrouter.core.Broker;
import io.wsrouter.redis.RedisBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * W4: a user's events across three nodes on one local Redis (the benchmark's own redis-server), for
 * wsrouter's {@code RedisBroker} (a channel per user; a node listens only to its own users') and for the
 * naive design ({@link NaiveSharedChannel}: one channel that every node receives and filters), at
 * 1,000 and 100,000 users. Not JMH: what is measured is the time from {@code publish} on one node to the
 * frame reaching another node's outlet, which no single JMH thread sees.
 *
 * <p>Each user has one connection, on node {@code i % 3} (or skewed: 1/6, 2/6, 3/6 of the users on
 * nodes 0, 1, 2, with {@code -Dbench.w4Skewed=true}); each of three publisher threads, one per node,
 * publishes for random users of the <em>next</em> node, so every event crosses nodes.
 * <ul>
 *   <li><b>Throughput:</b> as fast as the system delivers, with at most {@code bench.w4Window} (2,000)
 *       events in flight; events delivered per second over {@code bench.w4Seconds} (10) after a
 *       warm-up of the same length.</li>
 *   <li><b>Latency:</b> at a moderate fixed rate ({@code bench.w4Rate}, 3,000 events/s over the
 *       three nodes) for {@code bench.w4Seconds}: p50/p99/max from publish to the remote outlet.</li>
 *   <li><b>Traffic:</b> the channel messages each node received during the throughput run (for
 *       wsrouter the frames its outlet got: one per event for its users; for the naive design every
 *       message of the shared channel).</li>
 * </ul>
 * Prints {@code W4 {json}} lines and writes {@code w4.md} into the output directory.
 * Usage: {@code java -cp benchmarks.jar io.wsrouter.bench.RedisFanoutBenchmark [outputDir]}.
 */
public final class RedisFanoutBenchmark {

    private static final int NODES = 3;

    private RedisFanoutBenchmark() {
    }

    /**
     * Runs W4.
     *
     * @param args the output directory (default {@code router-bench/target})
     * @throws Exception when Redis cannot be started or a run fails
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "router-bench/target");
        Files.createDirectories(out);
        if (!LocalRedis.installed()) {
            throw new IllegalStateException("W4 needs redis-server at " + LocalRedis.BINARY
                    + " (apt-get install -y redis-server, or -Dbench.redisServer=/path)");
        }
        int seconds = Integer.getInteger("bench.w4Seconds", 10);
        int window = Integer.getInteger("bench.w4Window", 2000);
        int rate = Integer.getInteger("bench.w4Rate", 3000);
        boolean skewed = Boolean.getBoolean("bench.w4Skewed");
        List<Integer> populations = Arrays.stream(System.getProperty("bench.w4Users", "1000,100000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        String loadBefore = Machine.loadAverage();
        int rounds = Integer.getInteger("bench.w4Rounds", 3);
        List<Result> results = new ArrayList<>();
        for (int users : populations) {
            // Rounds alternate the designs, so a burst of load from elsewhere on a shared machine hits both.
            for (int round = 0; round < rounds; round++) {
                for (String design : round % 2 == 0 ? List.of("wsrouter", "naive") : List.of("naive", "wsrouter")) {
                    try (LocalRedis redis = LocalRedis.start()) {
                        Result r = run(design, users, redis, seconds, window, rate, skewed);
                        System.out.println("W4 " + r.json());
                        results.add(r);
                    }
                }
            }
        }
        Path markdown = out.resolve("w4.md");
        Files.writeString(markdown, render(results, seconds, window, rate, skewed, loadBefore, Machine.loadAverage()),
                StandardCharsets.UTF_8);
        System.out.println(Files.readString(markdown));
    }

    private static Result run(String design, int users, LocalRedis redis, int seconds, int window, int rate,
                              boolean skewed) throws Exception {
        List<Broker> brokers = new ArrayList<>();
        List<TimingOutlet> outlets = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            Broker broker = design.equals("wsrouter")
                    ? sharding(RedisBroker.builder(redis.uri()).nodeId("bench-" + n).commandTimeout(Duration.ofSeconds(5))).build()
                    : new NaiveSharedChannel(redis.uri());
            TimingOutlet outlet = new TimingOutlet();
            broker.bind(outlet);
            brokers.add(broker);
            outlets.add(outlet);
        }
        try {
            List<List<String>> usersOf = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                usersOf.add(new ArrayList<>());
            }
            for (int i = 0; i < users; i++) {
                int node = skewed ? (i % 6 == 0 ? 0 : i % 6 <= 2 ? 1 : 2) : i % NODES;
                String user = "u" + i;
                usersOf.get(node).add(user);
                outlets.get(node).connected.add(user);
                brokers.get(node).connectionOpened(user, "c" + i);
            }
            settle(brokers, outlets, usersOf);

            // Throughput, windowed.
            LongAdder published = new LongAdder();
            Function<Long, Long> delivered = ignored -> outlets.stream().mapToLong(o -> o.frames.sum()).sum();
            runPublishers(brokers, usersOf, published, delivered, window, 0, TimeUnit.SECONDS.toNanos(seconds), null);
            long[] before = outlets.stream().mapToLong(o -> o.frames.sum()).toArray();
            long[] naiveBefore = naiveReceived(brokers);
            long start = System.nanoTime();
            runPublishers(brokers, usersOf, published, delivered, window, 0, TimeUnit.SECONDS.toNanos(seconds), null);
            long[] after = outlets.stream().mapToLong(o -> o.frames.sum()).toArray();
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] perNode = new long[NODES];
            long total = 0;
            long[] naiveAfter = naiveReceived(brokers);
            for (int n = 0; n < NODES; n++) {
                total += after[n] - before[n];
                perNode[n] = design.equals("wsrouter") ? after[n] - before[n] : naiveAfter[n] - naiveBefore[n];
            }
            double throughput = total / elapsed;

            // Latency at a moderate rate.
            drain(outlets, published);
            AtomicLongArray samples = new AtomicLongArray(Math.max(1, rate * seconds + 10_000));
            AtomicInteger count = new AtomicInteger();
            outlets.forEach(o -> o.record(samples, count));
            runPublishers(brokers, usersOf, published, delivered, Integer.MAX_VALUE, rate / NODES,
                    TimeUnit.SECONDS.toNanos(seconds), null);
            drain(outlets, published);
            outlets.forEach(o -> o.record(null, null));
            long[] latencies = new long[Math.min(count.get(), samples.length())];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = samples.get(i);
            }
            Arrays.sort(latencies);
            return new Result(design, users, throughput, percentile(latencies, 0.50), percentile(latencies, 0.99),
                    latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0, latencies.length, perNode,
                    usersOf.stream().mapToInt(List::size).toArray(), elapsed);
        } finally {
            brokers.forEach(Broker::close);
        }
    }

    /** {@code -Dbench.w4Sharded=false} forces classic pub/sub (default: sharded on Redis 7). */
    private static RedisBroker.Builder sharding(RedisBroker.Builder builder) {
        String sharded = System.getProperty("bench.w4Sharded");
        return sharded == null ? builder : builder.shardedPubSub(Boolean.parseBoolean(sharded));
    }

    /**
     * Waits until every node delivers: rounds of one event per user, each published from another node,
     * until a whole round reaches its users (a node subscribes asynchronously, so the first events of a
     * user may find no stream or no listener yet).
     */
    private static void settle(List<Broker> brokers, List<TimingOutlet> outlets, List<List<String>> usersOf)
            throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            long before = outlets.stream().mapToLong(o -> o.frames.sum()).sum();
            long expected = 0;
            long lastProgress = System.nanoTime();
            long lastDelivered = before;
            for (int n = 0; n < NODES; n++) {
                for (String user : usersOf.get(n)) {
                    // Windowed (a burst of 100,000 scripts would only measure timeouts), but never stuck on lost events.
                    while (true) {
                        long delivered = outlets.stream().mapToLong(o -> o.frames.sum()).sum();
                        if (delivered != lastDelivered) {
                            lastDelivered = delivered;
                            lastProgress = System.nanoTime();
                        }
                        if (expected - (delivered - before) < 2000 || System.nanoTime() - lastProgress > 1_000_000_000L) {
                            break;
                        }
                        LockSupport.parkNanos(100_000);
                    }
                    brokers.get((n + 1) % NODES).publish(user, frame(System.nanoTime()));
                    expected++;
                }
            }
            long quiet = System.nanoTime();
            long last = -1;
            while (System.nanoTime() - quiet < TimeUnit.SECONDS.toNanos(2)) {
                long now = outlets.stream().mapToLong(o -> o.frames.sum()).sum();
                if (now != last) {
                    last = now;
                    quiet = System.nanoTime();
                }
                if (now - before >= expected) {
                    return;
                }
                Thread.sleep(50);
            }
            System.out.printf("W4 settle: round %d delivered %d of %d%n", round, last - before, expected);
        }
        throw new IllegalStateException("the nodes did not settle in 20 rounds");
    }

    private static void drain(List<TimingOutlet> outlets, LongAdder published) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = outlets.stream().mapToLong(o -> o.frames.sum()).sum();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(200);
        }
    }

    /**
     * Three publisher threads, one per node, each for random users of the next node. With {@code perSecond}
     * 0 each publishes as fast as the window allows; else at that rate.
     */
    private static void runPublishers(List<Broker> brokers, List<List<String>> usersOf, LongAdder published,
                                      Function<Long, Long> delivered, int window, int perSecond, long nanos,
                                      Object unused) throws InterruptedException {
        long base = published.sum() - delivered.apply(0L);
        List<Thread> threads = new ArrayList<>();
        long end = System.nanoTime() + nanos;
        for (int n = 0; n < NODES; n++) {
            Broker from = brokers.get(n);
            List<String> targets = usersOf.get((n + 1) % NODES);
            Thread t = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long interval = perSecond > 0 ? 1_000_000_000L / perSecond : 0;
                long next = System.nanoTime();
                while (true) {
                    long now = System.nanoTime();
                    if (now > end) {
                        return;
                    }
                    if (interval > 0) {
                        if (now < next) {
                            LockSupport.parkNanos(next - now);
                            continue;
                        }
                        next += interval;
                    } else if (published.sum() - delivered.apply(0L) - base > window) {
                        LockSupport.parkNanos(20_000); // not a spin: on a small machine it would starve Redis and the I/O threads
                        continue;
                    }
                    from.publish(targets.get(random.nextInt(targets.size())), frame(System.nanoTime()));
                    published.increment();
                }
            }, "w4-publisher-" + n);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static long[] naiveReceived(List<Broker> brokers) {
        long[] received = new long[NODES];
        for (int n = 0; n < NODES; n++) {
            if (brokers.get(n) instanceof NaiveSharedChannel naive) {
                received[n] = naive.received();
            }
        }
        return received;
    }

    /** An agent event of a typical size (~200 bytes) carrying its publish time. */
    static String frame(long nanos) {
        return "{\"type\":\"agent_thinking\",\"data\":{\"thought\":\"Looking at the tool results to decide the next step\","
                + "\"step\":3},\"timestamp\":\"2026-01-01T00:00:00Z\",\"run_id\":\"r-1\",\"agent_name\":\"a\",\"t\":" + nanos + "}";
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    /** A node's connections (one per user) that counts frames and, while recording, the latency of each. */
    static final class TimingOutlet implements Broker.Outlet {
        final java.util.Set<String> connected = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final LongAdder frames = new LongAdder();
        private volatile AtomicLongArray samples;
        private volatile AtomicInteger count;

        void record(AtomicLongArray into, AtomicInteger counter) {
            this.count = counter;
            this.samples = into;
        }

        @Override
        public int sendToUser(String userId, String frame) {
            long now = System.nanoTime();
            frames.increment();
            AtomicLongArray s = samples;
            if (s != null) {
                int at = frame.indexOf("\"t\":");
                long sent = 0;
                for (int i = at + 4; i < frame.length(); i++) {
                    char c = frame.charAt(i);
                    if (c < '0' || c > '9') {
                        break;
                    }
                    sent = sent * 10 + (c - '0');
                }
                int index = count.getAndIncrement();
                if (index < s.length()) {
                    s.set(index, (now - sent) / 1000 * 1000);
                }
            }
            return 1;
        }

        @Override
        public boolean sendToConnection(String userId, String connectionId, String frame) {
            return sendToUser(userId, frame) > 0;
        }

        @Override
        public boolean isConnected(String userId) {
            return connected.contains(userId);
        }
    }

    record Result(String design, int users, double eventsPerSecond, double p50Micros, double p99Micros,
                  double maxMicros, int samples, long[] messagesPerNode, int[] usersPerNode, double seconds) {
        String json() {
            return String.format(Locale.ROOT, "{\"design\":\"%s\",\"users\":%d,\"eventsPerSecond\":%.0f,\"p50Micros\":%.0f,"
                            + "\"p99Micros\":%.0f,\"maxMicros\":%.0f,\"samples\":%d,\"messagesPerNode\":%s,\"usersPerNode\":%s}",
                    design, users, eventsPerSecond, p50Micros, p99Micros, maxMicros, samples,
                    Arrays.toString(messagesPerNode), Arrays.toString(usersPerNode));
        }
    }

    private static String render(List<Result> results, int seconds, int window, int rate, boolean skewed,
                                 String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("### W4: a user's events across three nodes on one Redis\n\n");
        md.append(String.format(Locale.ROOT, "Three nodes in one JVM, one local redis-server; throughput with at most %d events "
                        + "in flight over %d s; latency at %d events/s; users %s over the nodes; the median of %d alternating "
                        + "rounds per design (each round on a fresh redis-server). Load average %s before, %s after.%n%n",
                window, seconds, rate, skewed ? "1/6, 2/6, 3/6" : "evenly",
                results.size() / Math.max(1, 2 * results.stream().map(Result::users).distinct().count()), loadBefore, loadAfter));
        md.append("| users | design | events/s (median; all rounds) | p50 (ms) | p99 (ms) | channel messages per node, one round (users per node) |\n");
        md.append("|---:|---|---:|---:|---:|---|\n");
        for (int users : results.stream().map(Result::users).distinct().toList()) {
            for (String design : List.of("wsrouter", "naive")) {
                List<Result> mine = results.stream().filter(r -> r.users() == users && r.design().equals(design)).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                Result any = mine.get(0);
                md.append(String.format(Locale.ROOT, "| %,d | %s | %,.0f (%s) | %.2f | %.2f | %s (%s) |%n", users, design,
                        median(mine.stream().mapToDouble(Result::eventsPerSecond).toArray()),
                        String.join(", ", mine.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r.eventsPerSecond())).toList()),
                        median(mine.stream().mapToDouble(Result::p50Micros).toArray()) / 1000,
                        median(mine.stream().mapToDouble(Result::p99Micros).toArray()) / 1000,
                        Arrays.toString(any.messagesPerNode()), Arrays.toString(any.usersPerNode())));
            }
        }
        md.append('\n');
        for (int users : results.stream().map(Result::users).distinct().toList()) {
            double ours = median(results.stream().filter(r -> r.users() == users && r.design().equals("wsrouter"))
                    .mapToDouble(Result::eventsPerSecond).toArray());
            double naive = median(results.stream().filter(r -> r.users() == users && r.design().equals("naive"))
                    .mapToDouble(Result::eventsPerSecond).toArray());
            md.append(String.format(Locale.ROOT, "- %,d users: wsrouter / naive throughput (medians) = %.2fx (target >= 3x)%n",
                    users, naive == 0 ? 0 : ours / naive));
        }
        return md.toString();
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
