package io.wsrouter.quality;

import io.wsrouter.core.ErrorCode;

/** A request the quality handlers refuse: answered with its code, never logged as a failure. */
final class BadPayload extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    BadPayload(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
