package io.wsrouter.core;

/**
 * The answer of a {@link ConnectionRegistry} to a user presenting a connection id.
 */
public enum Admission {
    /** The connection was not known and is now registered to the user. */
    REGISTERED,
    /** The connection already belongs to this user. */
    OWNED,
    /** The connection belongs to another user ({@link ErrorCode#FORBIDDEN}). */
    FORBIDDEN,
    /** The user is at the per-user connection limit ({@link ErrorCode#CONNECTION_LIMIT}). */
    LIMIT_REACHED,
    /** The registry is closed. */
    CLOSED;

    /** {@return whether the connection belongs to the user after this answer} */
    public boolean admitted() {
        return this == REGISTERED || this == OWNED;
    }
}
