package io.messengerhub.sentiment;

import java.util.OptionalDouble;

/**
 * Words (and a few phrases) with their valence on VADER's scale, -4 (extremely negative) to +4 (extremely
 * positive). Implementations are immutable and safe to share between threads.
 */
public interface SentimentLexicon {

    /**
     * The valence of a lowercase token, or of a phrase given as lowercase words joined by single spaces; empty when
     * the lexicon does not know it. A known token may have valence 0: it is then deliberately neutral (a greeting
     * formula, "please"), which is different from unknown.
     */
    OptionalDouble valence(String lowercaseToken);

    /** The number of words in the longest phrase, 1 when there are only single words; the scorer tries no longer phrases. */
    int longestPhrase();

    /** How many tokens and phrases the lexicon holds. */
    int size();
}
