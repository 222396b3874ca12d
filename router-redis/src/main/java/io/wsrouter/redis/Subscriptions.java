package io.wsrouter.redis;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which user channels this node listens to. Callers only say that a user's local presence changed;
 * one flush on the upkeep thread compares what is wanted ({@code wanted}) with what is subscribed and
 * sends one SSUBSCRIBE and one SUNSUBSCRIBE per 512 channels, so a burst of connections (a deploy,
 * a reconnect storm) costs a few commands, and a user who leaves and comes back within one flush
 * costs none.
 *
 * <p>On Redis Cluster one SSUBSCRIBE names the channels of one slot only (it goes to that slot's master;
 * Redis refuses channels of several slots), so the channels are sent per slot: about one command per
 * user, pipelined.
 */
final class Subscriptions {

    static final int CHUNK = 512;

    private final Keys keys;
    private final RedisPubSubAsyncCommands<String, String> pubsub;
    private final boolean sharded;
    /** On a cluster with sharded pub/sub: one command per slot. */
    private final boolean bySlot;
    private final Executor upkeep;
    private final Predicate<String> wanted;
    private final Consumer<List<String>> added;
    private final Consumer<List<String>> removed;
    /** Runs a task on the upkeep thread after a pause (1 s): retries wait for the connection to settle. */
    private final Consumer<Runnable> retry;

    private final ConcurrentLinkedQueue<String> changed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Users whose channel was subscribed; only the upkeep thread touches it. */
    private final Set<String> subscribed = new HashSet<>();

    Subscriptions(Keys keys, RedisPubSubAsyncCommands<String, String> pubsub, boolean sharded, boolean cluster, Executor upkeep,
                  Predicate<String> wanted, Consumer<List<String>> added, Consumer<List<String>> removed,
                  Consumer<Runnable> retry) {
        this.keys = keys;
        this.pubsub = pubsub;
        this.sharded = sharded;
        this.bySlot = sharded && cluster;
        this.upkeep = upkeep;
        this.wanted = wanted;
        this.added = added;
        this.removed = removed;
        this.retry = retry;
    }

    /** Forgets that the user's channel is subscribed and reconsiders it (its subscribe failed). */
    private void retry(String userId) {
        subscribed.remove(userId);
        changed(userId);
    }

    /** The user's first connection came or the last one left: reconsider their channel soon. */
    void changed(String userId) {
        changed.add(userId);
        if (scheduled.compareAndSet(false, true)) {
            upkeep.execute(this::flush);
        }
    }

    /** Subscribes every channel again (after the subscriber connection came back). */
    void resubscribeAll() {
        upkeep.execute(() -> {
            flush();
            send(new ArrayList<>(subscribed), true);
        });
    }

    /**
     * The user's sharded channel was unsubscribed: by us (the user left: nothing to do) or by the server
     * (on a cluster, the channel's slot moved to another shard). In a second, when the topology has
     * settled, a user who is still here is subscribed again, on the slot's new master.
     */
    void dropped(String userId) {
        retry.accept(() -> {
            if (subscribed.contains(userId) && wanted.test(userId)) {
                retry(userId);
            }
        });
    }

    int subscribedCount() {
        return subscribed.size();
    }

    private void flush() {
        scheduled.set(false);
        List<String> subscribe = new ArrayList<>();
        List<String> unsubscribe = new ArrayList<>();
        for (String user; (user = changed.poll()) != null; ) {
            boolean want = wanted.test(user);
            if (want && subscribed.add(user)) {
                subscribe.add(user);
            } else if (!want && subscribed.remove(user)) {
                unsubscribe.add(user);
            }
        }
        send(subscribe, true);
        send(unsubscribe, false);
        if (!subscribe.isEmpty()) {
            added.accept(subscribe);
        }
        if (!unsubscribe.isEmpty()) {
            removed.accept(unsubscribe);
        }
    }

    private void send(List<String> users, boolean subscribe) {
        if (bySlot && users.size() > 1) {
            Map<Integer, List<String>> slots = new LinkedHashMap<>();
            for (String user : users) {
                slots.computeIfAbsent(SlotHash.getSlot(keys.channel(user)), s -> new ArrayList<>()).add(user);
            }
            if (slots.size() > 1) {
                slots.values().forEach(slot -> send(slot, subscribe));
                return;
            }
        }
        for (int i = 0; i < users.size(); i += CHUNK) {
            List<String> chunk = users.subList(i, Math.min(users.size(), i + CHUNK));
            String[] channels = chunk.stream().map(keys::channel).toArray(String[]::new);
            CompletionStage<Void> sent;
            try {
                sent = sharded ? (subscribe ? pubsub.ssubscribe(channels) : pubsub.sunsubscribe(channels))
                        : (subscribe ? pubsub.subscribe(channels) : pubsub.unsubscribe(channels));
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            // A subscribe that failed (rejected while reconnecting, timed out) is tried again for the users
            // still here; an unsubscribe that failed only costs messages that are dropped on arrival.
            List<String> sentFor = List.copyOf(chunk);
            sent.whenComplete((ok, error) -> {
                if (error != null && subscribe) {
                    retry.accept(() -> sentFor.forEach(this::retry));
                }
            });
        }
    }
}
