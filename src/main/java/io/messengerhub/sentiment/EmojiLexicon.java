package io.messengerhub.sentiment;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Valences of Unicode emoji, the same for every language, from {@value #RESOURCE}. A customer's 👍🏽 or ❤️ is looked up
 * as 👍 and ❤: skin tones and the emoji-style variation selector do not change what the emoji says.
 */
public final class EmojiLexicon implements SentimentLexicon {

    public static final String RESOURCE = "sentiment/emoji.tsv";

    private final Map<String, Double> valences;

    public EmojiLexicon() {
        this(RESOURCE);
    }

    EmojiLexicon(String resource) {
        Map<String, Double> plain = new HashMap<>();
        LexiconFile.read(resource).forEach((emoji, valence) -> plain.putIfAbsent(plain(emoji), valence));
        this.valences = LexiconFile.lookupTable(plain);
    }

    /** An emoji (or a sequence joined by U+200D) scores as listed, or else as its first emoji. */
    @Override
    public OptionalDouble valence(String lowercaseToken) {
        String emoji = plain(lowercaseToken);
        Double valence = valences.get(emoji);
        if (valence == null && !emoji.isEmpty()) {
            valence = valences.get(new String(Character.toChars(emoji.codePointAt(0))));
        }
        return valence == null ? OptionalDouble.empty() : OptionalDouble.of(valence);
    }

    @Override
    public int longestPhrase() {
        return 1;
    }

    @Override
    public int size() {
        return valences.size();
    }

    /** Without variation selectors (U+FE0E, U+FE0F) and skin-tone modifiers (U+1F3FB..U+1F3FF). */
    static String plain(String emoji) {
        StringBuilder plain = new StringBuilder(emoji.length());
        emoji.codePoints()
                .filter(c -> c != 0xFE0E && c != 0xFE0F && (c < 0x1F3FB || c > 0x1F3FF))
                .forEach(plain::appendCodePoint);
        return plain.toString();
    }
}
