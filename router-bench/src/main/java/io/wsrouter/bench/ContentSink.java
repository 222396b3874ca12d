package io.wsrouter.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where every W1 handler puts what it read from the payload, so that the JIT cannot drop the parse or
 * the dispatch as dead code. A {@link LongAdder} so that two benchmark threads do not contend on it.
 */
public final class ContentSink {

    private final LongAdder messages = new LongAdder();
    private final LongAdder chars = new LongAdder();

    /** Records one handled message and the text its handler read. */
    public void accept(String content) {
        messages.increment();
        chars.add(content.length());
    }

    /** @return how many messages the handlers consumed */
    public long messages() {
        return messages.sum();
    }

    /** @return how many characters of payload text the handlers read */
    public long chars() {
        return chars.sum();
    }
}
