package io.messengerhub.sentiment;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The languages the sentiment scorer has a lexicon for. A customer's locale decides when the hub knows it; otherwise
 * {@link #detect(String)} guesses from the words of the message itself.
 */
public enum Language {
    EN, DE;

    /** German function and chat words: frequent in any German message, rare in English ones ("die" included, "was", "will", "war" not). */
    private static final Set<String> GERMAN_WORDS = Set.of("der", "die", "das", "den", "dem", "des", "ein", "eine", "einen",
            "einem", "einer", "und", "oder", "aber", "nicht", "nich", "kein", "keine", "keinen", "ist", "sind", "bin", "bist",
            "hat", "habe", "haben", "hab", "ich", "du", "er", "sie", "es", "wir", "ihr", "mir", "mich", "mein", "meine",
            "meinen", "meiner", "dich", "dir", "euch", "ihnen", "mit", "für", "fuer", "von", "zu", "zum", "zur", "auf", "bei",
            "nach", "aus", "wie", "wo", "warum", "wann", "wer", "noch", "schon", "auch", "nur", "sehr", "ja", "nein", "danke",
            "bitte", "hallo", "guten", "dass", "kann", "können", "koennen", "möchte", "moechte", "wurde", "wird", "gibt", "mal",
            "doch", "heute", "jetzt", "immer", "leider", "vielen", "dank", "seit", "wieder", "gut", "geht");

    /** What separates words: anything but letters and apostrophes. */
    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}']+");
    /** German letters that English words do not have. */
    private static final String UMLAUTS = "äöüÄÖÜß";

    /** English function and chat words, leaving out those that are common German words too ("an", "am", "im", "will"). */
    private static final Set<String> ENGLISH_WORDS = Set.of("the", "a", "and", "or", "but", "not", "no", "is", "are",
            "was", "were", "be", "been", "i", "i'm", "you", "he", "she", "it", "it's", "we", "they", "my", "your",
            "our", "me", "us", "him", "them", "this", "that", "these", "those", "with", "for", "from", "of", "to", "at", "on",
            "by", "what", "where", "when", "why", "how", "who", "can", "could", "would", "should", "do", "does", "did",
            "don't", "doesn't", "didn't", "can't", "have", "has", "had", "get", "got", "please", "thanks", "thank", "thx",
            "hi", "hello", "yes", "there", "here", "just", "still", "again", "any", "some", "very", "after");

    /**
     * The language a customer's locale asks for: German for {@code de} (and Swiss German {@code gsw}), English for
     * every other language, because English is the lexicon that fits best when there is no German one. Empty when
     * there is no locale or it names no language, so the text decides.
     */
    public static Optional<Language> of(Locale locale) {
        if (locale == null || locale.getLanguage().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(switch (locale.getLanguage()) {
            case "de", "gsw" -> DE;
            default -> EN;
        });
    }

    /**
     * Guesses whether a message is German or English, for customers whose locale the hub does not know.
     * <p>
     * Heuristic, deliberately simple so that agents can predict it: every word that is a German function or chat
     * word ("und", "ist", "nicht", "danke", ...) counts one for German, every English one ("the", "is", "not",
     * "thanks", ...) one for English, and a message with umlauts or ß gets up to two more for German. The higher count
     * wins; a tie (an emoji alone, a number) is English, whose lexicon also knows the ASCII emoticons.
     */
    public static Language detect(String text) {
        if (text == null || text.isBlank()) {
            return EN;
        }
        int german = 0;
        int english = 0;
        for (String word : NOT_A_WORD.split(text.toLowerCase(Locale.ROOT).replace('’', '\''))) {
            String bare = withoutQuotesAround(word);
            if (GERMAN_WORDS.contains(bare)) {
                german++;
            }
            if (ENGLISH_WORDS.contains(bare)) {
                english++;
            }
        }
        german += Math.min(2, umlauts(text));
        return german > english ? DE : EN;
    }

    /*
     * Plain loops, not a regular expression or a stream per word: in the hub, guessing the language cost several times
     * what it costs in a loop of its own (bench/README.md, "Issue 14, session 18").
     */

    /** The word without the apostrophes that quote it rather than belong to it ("'danke'"). */
    private static String withoutQuotesAround(String word) {
        int start = 0;
        int end = word.length();
        while (start < end && word.charAt(start) == '\'') {
            start++;
        }
        while (end > start && word.charAt(end - 1) == '\'') {
            end--;
        }
        return word.substring(start, end);
    }

    private static int umlauts(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (UMLAUTS.indexOf(text.charAt(i)) >= 0) {
                count++;
            }
        }
        return count;
    }
}
