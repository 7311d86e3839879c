package io.messengerhub.sentiment;

import java.util.Objects;

/**
 * The sentiment of one customer message: VADER's compound score in [-1, 1] (negative below zero) and the language it
 * was scored in, so that a surprising score can be traced to the lexicon that produced it.
 */
public record MessageSentiment(double compound, Language language) {

    public MessageSentiment {
        if (Double.isNaN(compound) || compound < -1.0 || compound > 1.0) {
            throw new IllegalArgumentException("a compound sentiment score lies in [-1, 1], not " + compound);
        }
        Objects.requireNonNull(language, "language");
    }

    /** This message alone on the seven-level scale. */
    public SentimentLevel level() {
        return SentimentLevel.of(compound);
    }
}
