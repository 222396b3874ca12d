package io.wsrouter.tests;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a generous timeout; never an assertion about how long it took. */
final class Await {

    static final Duration GENEROUS = Duration.ofSeconds(20);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException, TimeoutException {
        until(what, condition, () -> "");
    }

    static void until(String what, BooleanSupplier condition, Supplier<Object> state)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("gave up waiting for " + what + " " + state.get());
            }
            Thread.sleep(5);
        }
    }
}
