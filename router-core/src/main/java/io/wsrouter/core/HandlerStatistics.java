package io.wsrouter.core;

/**
 * Per-handler figures (the legacy {@code handler_stats}): an immutable snapshot.
 *
 * @param handled messages the handler handled (returned {@code true})
 * @param errors  times the handler threw
 */
public record HandlerStatistics(long handled, long errors) {
}
