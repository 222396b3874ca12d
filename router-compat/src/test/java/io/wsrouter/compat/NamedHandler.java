package io.wsrouter.compat;

import io.wsrouter.core.Message;
import io.wsrouter.core.MessageHandler;
import io.wsrouter.core.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A custom handler for tests: claims some types, replies {@code handled_by {name}} and counts its calls. */
final class NamedHandler implements MessageHandler {

    private final String name;
    private final Set<String> types;
    private final boolean throwing;
    final AtomicInteger calls = new AtomicInteger();

    private NamedHandler(String name, boolean throwing, String... types) {
        this.name = name;
        this.types = Set.of(types);
        this.throwing = throwing;
    }

    static NamedHandler claiming(String name, String... types) {
        return new NamedHandler(name, false, types);
    }

    static NamedHandler throwing(String name, String... types) {
        return new NamedHandler(name, true, types);
    }

    @Override
    public Set<String> messageTypes() {
        return types;
    }

    @Override
    public boolean handle(RoutingContext context, Message message) {
        calls.incrementAndGet();
        if (throwing) {
            throw new IllegalStateException(name + " fails on purpose");
        }
        context.reply("handled_by", Map.of("handler", name, "type", message.type()));
        return true;
    }

    @Override
    public String name() {
        return name;
    }
}
