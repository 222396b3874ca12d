package io.wsrouter.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the current {@link HandlerChain} snapshot and replaces it on add/remove under a lock that
 * only mutations take; routing reads the volatile snapshot without locking. Thread-safe.
 */
final class HandlerTable {

    private final StatisticsRecorder recorder;
    private final Object lock = new Object();
    private volatile HandlerChain chain = HandlerChain.of(List.of());

    HandlerTable(StatisticsRecorder recorder) {
        this.recorder = recorder;
    }

    /** Sets the built-ins, once, before any custom handler or message. */
    void installBuiltins(List<MessageHandler> builtins) {
        List<HandlerChain.Slot> slots = new ArrayList<>();
        for (MessageHandler h : builtins) {
            slots.add(slot(h));
        }
        synchronized (lock) {
            chain = HandlerChain.of(slots);
        }
    }

    HandlerChain snapshot() {
        return chain;
    }

    void addCustom(MessageHandler handler) {
        HandlerChain.Slot slot = slot(handler);
        synchronized (lock) {
            chain = chain.withCustom(slot);
        }
    }

    void insertCustom(int position, MessageHandler handler) {
        HandlerChain.Slot slot = slot(handler);
        synchronized (lock) {
            chain = chain.withCustomAt(position, slot);
        }
    }

    boolean removeCustom(MessageHandler handler) {
        synchronized (lock) {
            HandlerChain next = chain.withoutCustom(handler);
            if (next == chain) {
                return false;
            }
            chain = next;
            return true;
        }
    }

    boolean removeBuiltin(MessageHandler handler) {
        synchronized (lock) {
            HandlerChain next = chain.withoutBuiltin(handler);
            if (next == chain) {
                return false;
            }
            chain = next;
            return true;
        }
    }

    List<MessageHandler> handlers() {
        List<MessageHandler> list = new ArrayList<>();
        chain.slots().forEach(s -> list.add(s.handler));
        return List.copyOf(list);
    }

    Map<String, List<String>> table() {
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (HandlerChain.Slot slot : chain.slots()) {
            for (String type : slot.types) {
                table.computeIfAbsent(type, t -> new ArrayList<>()).add(slot.name);
            }
        }
        table.replaceAll((k, v) -> List.copyOf(v));
        return table;
    }

    private HandlerChain.Slot slot(MessageHandler handler) {
        return new HandlerChain.Slot(handler, recorder.countersFor(handler.name()));
    }
}
