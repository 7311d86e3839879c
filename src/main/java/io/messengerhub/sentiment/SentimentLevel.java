package io.messengerhub.sentiment;

/**
 * The seven-level scale a message or a conversation is shown on, from a compound score in [-1, 1].
 * <p>
 * Thresholds, symmetric around zero:
 * <pre>
 *   compound &lt;= -0.65          VERY_NEGATIVE
 *   -0.65 &lt; compound &lt;= -0.35  NEGATIVE
 *   -0.35 &lt; compound &lt;= -0.05  SLIGHTLY_NEGATIVE
 *   -0.05 &lt; compound &lt;  0.05   NEUTRAL
 *    0.05 &lt;= compound &lt; 0.35   SLIGHTLY_POSITIVE
 *    0.35 &lt;= compound &lt; 0.65   POSITIVE
 *    0.65 &lt;= compound          VERY_POSITIVE
 * </pre>
 * The neutral band of ±0.05 is VADER's own convention for its compound score. With VADER's normalisation
 * {@code x / sqrt(x² + 15)}, ±0.35 is reached by about one clearly emotional word ("disappointed", "zufrieden") and
 * ±0.65 by two or by one that is intensified, shouted or exclaimed, so "very" means more than a single word.
 */
public enum SentimentLevel {
    VERY_NEGATIVE(-1), NEGATIVE(-1), SLIGHTLY_NEGATIVE(-1), NEUTRAL(0), SLIGHTLY_POSITIVE(1), POSITIVE(1), VERY_POSITIVE(1);

    /** Below this magnitude a score is neutral (VADER's convention). */
    public static final double NEUTRAL_BAND = 0.05;
    /** From this magnitude on a score is plainly positive or negative rather than slightly. */
    public static final double CLEAR = 0.35;
    /** From this magnitude on a score is very positive or very negative. */
    public static final double STRONG = 0.65;

    private final int polarity;

    SentimentLevel(int polarity) {
        this.polarity = polarity;
    }

    /** The level of a compound score; scores outside [-1, 1] or NaN are a bug in the caller, so they are refused. */
    public static SentimentLevel of(double compound) {
        if (Double.isNaN(compound) || compound < -1.0 || compound > 1.0) {
            throw new IllegalArgumentException("a compound sentiment score lies in [-1, 1], not " + compound);
        }
        if (compound <= -STRONG) {
            return VERY_NEGATIVE;
        }
        if (compound <= -CLEAR) {
            return NEGATIVE;
        }
        if (compound <= -NEUTRAL_BAND) {
            return SLIGHTLY_NEGATIVE;
        }
        if (compound < NEUTRAL_BAND) {
            return NEUTRAL;
        }
        if (compound < CLEAR) {
            return SLIGHTLY_POSITIVE;
        }
        if (compound < STRONG) {
            return POSITIVE;
        }
        return VERY_POSITIVE;
    }

    /** -1 for the three negative levels, 0 for neutral, +1 for the three positive ones. */
    public int polarity() {
        return polarity;
    }
}
