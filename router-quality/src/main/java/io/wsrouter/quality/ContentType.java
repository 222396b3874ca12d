package io.wsrouter.quality;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What kind of text a {@link QualityGateService} validates. The type chooses the weights of the
 * overall score and the thresholds of the pass rule (see {@link QualityGateService}).
 *
 * <p>On the wire each constant is its {@link #wireValue()} ({@code "data_analysis"}, ...).
 *
 * <pre>{@code
 * ContentType.fromWire("Data_Analysis");   // DATA_ANALYSIS
 * ContentType.fromWire("error");           // ERROR_MESSAGE (the legacy handler's short name)
 * ContentType.fromWire("poetry");          // GENERAL (unknown names fall back)
 * }</pre>
 */
public enum ContentType {
    /** Optimisation advice. */
    OPTIMIZATION("optimization"),
    /** Analysis of data. */
    DATA_ANALYSIS("data_analysis"),
    /** A plan of actions. */
    ACTION_PLAN("action_plan"),
    /** A report. */
    REPORT("report"),
    /** Triage of a request; scored and thresholded like {@link #GENERAL}. */
    TRIAGE("triage"),
    /** An explanation of an error. */
    ERROR_MESSAGE("error_message"),
    /** Anything else; the fallback. */
    GENERAL("general");

    private final String wireValue;

    ContentType(String wireValue) {
        this.wireValue = wireValue;
    }

    /** {@return the lowercase name used on the wire, for example {@code "action_plan"}} */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }

    /**
     * Maps a wire name to a type, ignoring case. {@code "error"} maps to {@link #ERROR_MESSAGE}, as
     * the legacy {@code validate_content} handler did.
     *
     * @param value the name; may be null
     * @return the type, or {@link #GENERAL} when the name is null or unknown; never null
     */
    public static ContentType fromWire(String value) {
        if (value == null) {
            return GENERAL;
        }
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if ("error".equals(lower)) {
            return ERROR_MESSAGE;
        }
        for (ContentType type : values()) {
            if (type.wireValue.equals(lower)) {
                return type;
            }
        }
        return GENERAL;
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
