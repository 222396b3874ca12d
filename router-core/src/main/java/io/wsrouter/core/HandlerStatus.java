package io.wsrouter.core;

/**
 * Health of the handler chain as reported by {@link CanonicalMessageRouter#handlerStatus()}.
 *
 * <p>The startup grace period only changes this status: it never delays or drops a message.
 */
public enum HandlerStatus {
    /** Within the startup grace period (10 s by default). */
    INITIALIZING,
    /** After the grace period, with at least one handler registered. */
    READY,
    /** After the grace period, with no handler registered at all. */
    ERROR
}
