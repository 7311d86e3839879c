package io.messengerhub.sentiment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * English valences: the VADER lexicon (Hutto &amp; Gilbert 2014, MIT licence), which the Maven dependency
 * {@code com.github.apanimesh061:vader-sentiment-analyzer} ships as {@value #VADER_RESOURCE} at the root of its jar
 * (only that file is used, the jar's classes need Lucene 6), adjusted for customer service by {@value #SERVICE_RESOURCE},
 * whose entries replace VADER's. Also the source of ASCII emoticons such as ":)" for German messages.
 */
public final class EnglishLexicon implements SentimentLexicon {

    /** VADER's lexicon, on the classpath through the registry package. */
    public static final String VADER_RESOURCE = "vader_sentiment_lexicon.txt";
    /** This project's customer-service adjustments to it. */
    public static final String SERVICE_RESOURCE = "sentiment/en-service.tsv";

    private final Map<String, Double> valences;
    private final int longestPhrase;

    /** Loads both resources; throws {@link IllegalStateException} naming the one that is missing or broken. */
    public EnglishLexicon() {
        this(VADER_RESOURCE, SERVICE_RESOURCE);
    }

    EnglishLexicon(String vaderResource, String serviceResource) {
        Map<String, Double> merged = new LinkedHashMap<>(LexiconFile.read(vaderResource));
        merged.putAll(LexiconFile.read(serviceResource));
        this.valences = LexiconFile.lookupTable(merged);
        this.longestPhrase = LexiconFile.longestPhrase(valences);
    }

    @Override
    public OptionalDouble valence(String lowercaseToken) {
        Double valence = valences.get(lowercaseToken);
        return valence == null ? OptionalDouble.empty() : OptionalDouble.of(valence);
    }

    @Override
    public int longestPhrase() {
        return longestPhrase;
    }

    @Override
    public int size() {
        return valences.size();
    }
}
