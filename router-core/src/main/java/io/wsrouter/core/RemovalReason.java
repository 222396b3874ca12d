package io.wsrouter.core;

/**
 * Why a {@link ConnectionRegistry} removed a connection; told to every {@link ConnectionListener}.
 *
 * <p>A transport adapter uses it to choose how to end the socket: a polite close frame for
 * {@link #UNREGISTERED}, {@link #IDLE} and {@link #SHUTDOWN}, but an <em>abort</em> (drop the TCP
 * connection without a closing handshake) for {@link #SLOW} and {@link #FAILING}, because a close
 * frame would only queue behind the write that the peer stopped reading (see {@link #abortive()}).
 */
public enum RemovalReason {

    /** The transport or the user unregistered it (socket closed, {@code disconnect} message). */
    UNREGISTERED,
    /** No activity within the registry's idle timeout. */
    IDLE,
    /** Its outbound queue overflowed: the peer reads slower than it is sent to, or stopped reading. */
    SLOW,
    /** Sends to it failed too many times in a row. */
    FAILING,
    /** The registry was closed. */
    SHUTDOWN;

    /**
     * {@return {@code true} when the socket should be aborted rather than closed politely: the peer
     *          stopped reading ({@link #SLOW}) or the transport cannot write to it ({@link #FAILING})}
     */
    public boolean abortive() {
        return this == SLOW || this == FAILING;
    }
}
