package io.wsrouter.core;

import java.util.Set;

/**
 * A step of the handler chain: claims message types and handles messages of those types.
 *
 * <p>The chain holds custom handlers first (lower {@link #priority()} first, equal priorities in
 * insertion order), then the built-in handlers. For each message the router looks up, by type, the
 * handlers that claim it (an index, not a scan), asks each {@link #canHandle(Message)} in chain order,
 * and calls {@link #handle(RoutingContext, Message)} on those that accept until one returns
 * {@code true}. A handler that throws is counted in {@link RoutingStatistics#handlerErrors()}, logged
 * once with its {@link #name()}, and the next handler is tried.
 *
 * <p>A handler may claim the wildcard type {@value #ANY_TYPE}: it is then a candidate for every type,
 * in its chain position (use {@link #canHandle(Message)} to refine).
 *
 * <p><b>Thread safety:</b> one handler instance serves messages from many threads at once, so its
 * state must be thread-safe. Replies and events go through the {@link RoutingContext}, never
 * through a global.
 *
 * <pre>{@code
 * router.addCustomHandler(new MessageHandler() {
 *     public Set<String> messageTypes() { return Set.of("user_message"); }
 *     public boolean handle(RoutingContext ctx, Message m) {
 *         return ctx.reply("echo", Map.of("content", m.payloadText("content").orElse("")));
 *     }
 * });
 * }</pre>
 */
public interface MessageHandler {

    /** The wildcard type: a handler that claims it is a candidate for every message type. */
    String ANY_TYPE = "*";

    /** {@return the canonical types this handler claims, for the type index; never null} */
    Set<String> messageTypes();

    /**
     * Refines the claim for one message; the default accepts every message of a claimed type.
     *
     * @param message the message, never null
     * @return whether {@link #handle} should be called
     */
    default boolean canHandle(Message message) {
        Set<String> types = messageTypes();
        return types.contains(message.type()) || types.contains(ANY_TYPE);
    }

    /**
     * Handles one message.
     *
     * @param context replies and events for this message's user
     * @param message the message; immutable
     * @return {@code true} when handled; {@code false} to let the next handler try
     * @throws Exception counted as a handler error; the next handler is tried
     */
    boolean handle(RoutingContext context, Message message) throws Exception;

    /** {@return the order among custom handlers: lower runs first; default 0} */
    default int priority() {
        return 0;
    }

    /** {@return the name used in {@link CanonicalMessageRouter#handlerOrder()}, statistics and logs} */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName() : simple;
    }
}
