package io.wsrouter.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the handler chain: custom handlers (by priority, then insertion order)
 * followed by the built-ins, plus an index from type to the handlers that claim it. Mutations build
 * a new snapshot, so routing reads one without locking (Netty's pipeline does the same).
 */
final class HandlerChain {

    private static final Slot[] NONE = new Slot[0];

    private final List<Slot> customs;
    private final List<Slot> builtins;
    private final Map<String, Slot[]> index;
    private final Slot[] wildcards;
    private final long nextSequence;

    private HandlerChain(List<Slot> customs, List<Slot> builtins, long nextSequence) {
        this.customs = customs;
        this.builtins = builtins;
        this.nextSequence = nextSequence;
        List<Slot> all = new ArrayList<>(customs.size() + builtins.size());
        all.addAll(customs);
        all.addAll(builtins);
        Set<String> types = new LinkedHashSet<>();
        List<Slot> wild = new ArrayList<>();
        for (Slot slot : all) {
            types.addAll(slot.types);
            if (slot.types.contains(MessageHandler.ANY_TYPE)) {
                wild.add(slot);
            }
        }
        types.remove(MessageHandler.ANY_TYPE);
        Map<String, Slot[]> map = new HashMap<>();
        for (String type : types) {
            List<Slot> claimants = new ArrayList<>();
            for (Slot slot : all) {
                if (slot.types.contains(type) || slot.types.contains(MessageHandler.ANY_TYPE)) {
                    claimants.add(slot);
                }
            }
            map.put(type, claimants.toArray(NONE));
        }
        this.index = Map.copyOf(map);
        this.wildcards = wild.toArray(NONE);
    }

    static HandlerChain of(List<Slot> builtins) {
        return new HandlerChain(List.of(), List.copyOf(builtins), 0);
    }

    /** @return the handlers to try for a type, in chain order; never null */
    Slot[] candidates(String type) {
        Slot[] slots = index.get(type);
        return slots != null ? slots : wildcards;
    }

    boolean claims(String type) {
        return index.containsKey(type);
    }

    int size() {
        return customs.size() + builtins.size();
    }

    boolean contains(MessageHandler handler) {
        return find(customs, handler) >= 0 || find(builtins, handler) >= 0;
    }

    List<String> order() {
        List<String> names = new ArrayList<>(size());
        customs.forEach(s -> names.add(s.name));
        builtins.forEach(s -> names.add(s.name));
        return Collections.unmodifiableList(names);
    }

    List<Slot> slots() {
        List<Slot> all = new ArrayList<>(customs);
        all.addAll(builtins);
        return all;
    }

    /** Appends a custom handler after those of equal or lower priority. */
    HandlerChain withCustom(Slot slot) {
        return withCustomAt(customs.size(), slot);
    }

    /**
     * Inserts a custom handler at a position among the custom handlers (clamped to the list), then
     * re-sorts stably by priority, so the position decides among equal priorities.
     */
    HandlerChain withCustomAt(int position, Slot slot) {
        List<Slot> next = new ArrayList<>(customs);
        next.add(Math.max(0, Math.min(position, next.size())), slot);
        next.sort(Comparator.comparingInt(s -> s.handler.priority()));
        return new HandlerChain(List.copyOf(next), builtins, nextSequence + 1);
    }

    /** @return the chain without the custom handler, or this if it is not a custom handler here */
    HandlerChain withoutCustom(MessageHandler handler) {
        int i = find(customs, handler);
        if (i < 0) {
            return this;
        }
        List<Slot> next = new ArrayList<>(customs);
        next.remove(i);
        return new HandlerChain(List.copyOf(next), builtins, nextSequence);
    }

    /** @return the chain without the built-in handler, or this if it is not a built-in here */
    HandlerChain withoutBuiltin(MessageHandler handler) {
        int j = find(builtins, handler);
        if (j < 0) {
            return this;
        }
        List<Slot> next = new ArrayList<>(builtins);
        next.remove(j);
        return new HandlerChain(customs, List.copyOf(next), nextSequence);
    }

    private static int find(List<Slot> slots, MessageHandler handler) {
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).handler == handler) {
                return i;
            }
        }
        return -1;
    }

    /** One handler with its cached claim set and counters. */
    static final class Slot {
        final MessageHandler handler;
        final String name;
        final Set<String> types;
        final StatisticsRecorder.HandlerCounters counters;
        /** Whether the handler overrides canHandle; if not, the index already answered it. */
        final boolean refines;

        Slot(MessageHandler handler, StatisticsRecorder.HandlerCounters counters) {
            this.handler = handler;
            this.name = handler.name();
            Set<String> claimed = handler.messageTypes();
            if (claimed == null) {
                throw new IllegalArgumentException("handler " + name + " returned null from messageTypes()");
            }
            this.types = Set.copyOf(claimed);
            this.counters = counters;
            this.refines = overridesCanHandle(handler.getClass());
        }

        private static boolean overridesCanHandle(Class<?> type) {
            try {
                return type.getMethod("canHandle", Message.class).getDeclaringClass() != MessageHandler.class;
            } catch (NoSuchMethodException e) {
                return true;
            }
        }
    }
}
