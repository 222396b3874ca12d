package io.wsrouter.events;

import java.util.concurrent.CompletionStage;

/**
 * SPI implemented by the host: writes one text frame to one WebSocket. The {@link ConnectionPool}
 * is its only caller and guarantees that, per connection, at most one send is in flight: the next
 * frame of a connection is handed over only once the stage returned for the previous one completed.
 *
 * <p><b>Contract.</b> Return quickly: start the write and return a stage that completes when the
 * frame was written (normally) or could not be (exceptionally). Do not block the calling thread on
 * the network; the caller may be a thread that routes messages or emits events for other users. A
 * stage that never completes stalls only its own connection, whose queue then fills up and meets
 * the pool's overflow policy. Throwing, or returning {@code null}, counts as a failed send.
 * Complete the stage of a write that will never finish (exceptionally) when you abort its socket:
 * until it completes, the pool keeps the connection's id reserved (see below).
 *
 * <p><b>Thread safety:</b> called from many threads at once, for different connections; calls for
 * one connection never overlap, also across removals: after the pool removed a connection, for
 * whatever reason, its id is not handed to anyone else (nor to its own user after a removal by
 * force) until the stage of its last send completed, so a second connection with that id cannot
 * start writing while the first one's write is pending. The one exception is a stage still not
 * completed {@code drainTimeout} after the removal: the pool then stops waiting for it and releases
 * the id. The stage may complete on any thread, including synchronously before the method returns.
 *
 * <p><b>Connection ids</b> are the ones the host registered with the pool. They must identify one
 * socket for its whole life and must not be reused for another user's socket while frames of the
 * old one may still be in flight (session ids or UUIDs are fine).
 *
 * <pre>{@code
 * // Jakarta WebSocket: sessions by id, asynchronous send
 * WebSocketManager manager = (connectionId, frame) -> {
 *     CompletableFuture<Void> done = new CompletableFuture<>();
 *     sessions.get(connectionId).getAsyncRemote().sendText(frame, result -> {
 *         if (result.isOK()) done.complete(null); else done.completeExceptionally(result.getException());
 *     });
 *     return done;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface WebSocketManager {

    /**
     * Starts writing one frame to one connection.
     *
     * @param connectionId the connection, as registered with the pool
     * @param frame        the text frame (a complete JSON document)
     * @return a stage completing normally once the frame was written, exceptionally when it could not
     *         be; never null (null counts as a failed send)
     */
    CompletionStage<Void> sendToConnection(String connectionId, String frame);
}
