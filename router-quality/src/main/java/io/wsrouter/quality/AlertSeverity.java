package io.wsrouter.quality;

import com.fasterxml.jackson.annotation.JsonValue;

/** How serious a {@link QualityAlert} is, from least to most; on the wire its {@link #wireValue()}. */
public enum AlertSeverity {
    /** For information. */
    INFO("info"),
    /** Worth a look. */
    WARNING("warning"),
    /** Needs attention. */
    ERROR("error"),
    /** Needs attention now. */
    CRITICAL("critical");

    private final String wireValue;

    AlertSeverity(String wireValue) {
        this.wireValue = wireValue;
    }

    /** {@return the lowercase name used on the wire, for example {@code "critical"}} */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
