package io.wsrouter.tests;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Remembers the live threads when a test class starts and, at its end, waits until every thread
 * started since then has ended: no server, client, pool or agent thread is left behind.
 */
final class ThreadLeakCheck {

    private final Set<Thread> before;

    private ThreadLeakCheck(Set<Thread> before) {
        this.before = before;
    }

    static ThreadLeakCheck start() {
        return new ThreadLeakCheck(Thread.getAllStackTraces().keySet());
    }

    /** @return the threads started since {@link #start()} that are still alive after the timeout */
    List<String> leftAfter(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Thread> left = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .filter(t -> !before.contains(t))
                    .collect(Collectors.toList());
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left.stream().map(Thread::getName).sorted().collect(Collectors.toList());
            }
            // The JDK HttpClient's selector thread ends once the client is unreachable: let it be collected.
            System.gc();
            Thread.sleep(50);
        }
    }
}
