package io.messengerhub.sentiment;

import java.util.List;
import java.util.Objects;

/**
 * A conversation's mood: the plain average of its last {@value #WINDOW} customer messages' compound scores, on the
 * seven-level scale.
 * <p>
 * Six messages follow a change of mood within a few turns while one outburst does not flip the whole conversation.
 * All six weigh the same, although recent ones might deserve more: the window is already short, and "the average of
 * the last six messages" is something an agent or supervisor can check by hand.
 */
public final class RollingSentiment {

    /** How many of the most recent customer messages make up the conversation's level. */
    public static final int WINDOW = 6;

    private RollingSentiment() {
    }

    /** The level of the last {@value #WINDOW} scores; a conversation without customer messages is neutral. */
    public static SentimentLevel level(List<Double> compoundsOldestFirst) {
        return SentimentLevel.of(average(compoundsOldestFirst));
    }

    /** The average compound score of the last {@value #WINDOW} scores (older ones no longer count), 0 when there are none. */
    public static double average(List<Double> compoundsOldestFirst) {
        Objects.requireNonNull(compoundsOldestFirst, "compoundsOldestFirst");
        List<Double> window = compoundsOldestFirst.subList(Math.max(0, compoundsOldestFirst.size() - WINDOW),
                compoundsOldestFirst.size());
        if (window.isEmpty()) {
            return 0.0;
        }
        double sum = 0.0;
        for (Double compound : window) {
            sum += Objects.requireNonNull(compound, "a compound score in the window is null");
        }
        return Math.max(-1.0, Math.min(1.0, sum / window.size()));
    }
}
