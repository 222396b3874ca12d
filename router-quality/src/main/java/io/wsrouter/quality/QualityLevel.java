package io.wsrouter.quality;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The quality band of an overall score in [0, 1]; on the wire its {@link #wireValue()}.
 *
 * <pre>{@code
 * QualityLevel.fromScore(0.72);   // GOOD
 * }</pre>
 */
public enum QualityLevel {
    /** Score &ge; 0.9. */
    EXCELLENT("excellent", 0.9),
    /** Score &ge; 0.7. */
    GOOD("good", 0.7),
    /** Score &ge; 0.5. */
    ACCEPTABLE("acceptable", 0.5),
    /** Score &ge; 0.3. */
    POOR("poor", 0.3),
    /** Score below 0.3. */
    UNACCEPTABLE("unacceptable", Double.NEGATIVE_INFINITY);

    private final String wireValue;
    private final double floor;

    QualityLevel(String wireValue, double floor) {
        this.wireValue = wireValue;
        this.floor = floor;
    }

    /** {@return the lowercase name used on the wire, for example {@code "acceptable"}} */
    @JsonValue
    public String wireValue() {
        return wireValue;
    }

    /**
     * Finds the level an overall score reaches.
     *
     * @param overallScore a score, normally in [0, 1]
     * @return the highest level whose floor the score reaches ({@link #UNACCEPTABLE} for NaN)
     */
    public static QualityLevel fromScore(double overallScore) {
        for (QualityLevel level : values()) {
            if (overallScore >= level.floor) {
                return level;
            }
        }
        return UNACCEPTABLE;
    }

    /**
     * Reads a level from its wire name.
     *
     * @param value a wire name, ignoring case
     * @return the level
     * @throws IllegalArgumentException when the name is not a level
     */
    public static QualityLevel fromWire(String value) {
        for (QualityLevel level : values()) {
            if (level.wireValue.equalsIgnoreCase(value)) {
                return level;
            }
        }
        throw new IllegalArgumentException("not a quality level: " + value);
    }

    /** {@return whether this is {@link #POOR} or {@link #UNACCEPTABLE}: what the monitor counts as slop} */
    public boolean isSlop() {
        return this == POOR || this == UNACCEPTABLE;
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
