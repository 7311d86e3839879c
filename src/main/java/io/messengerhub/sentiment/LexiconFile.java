package io.messengerhub.sentiment;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.text.Normalizer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a lexicon from the classpath in VADER's format: one entry a line, the token, a tab, its valence in [-4, 4],
 * optionally more tab-separated columns (VADER's standard deviation and raw ratings), which are ignored. Lines starting
 * with {@code #} without a tab are comments ("#-)" with a tab is an emoticon in VADER's file).
 * <p>
 * Everything is read at start-up from resources inside the application: nothing is downloaded at run time, and a
 * missing or broken file stops the scorer from being built rather than quietly scoring everything neutral.
 */
final class LexiconFile {

    /** VADER's valences are means of ratings from -4 to +4. */
    static final double MAX_VALENCE = 4.0;

    private LexiconFile() {
    }

    /**
     * The entries of a resource, tokens lowercased and in Unicode NFC, in file order. When a token appears twice
     * (VADER has "xd" and "XD") the first one counts.
     *
     * @throws IllegalStateException naming the resource when it is missing, unreadable, empty or has a malformed line
     */
    static Map<String, Double> read(String resource) {
        InputStream stream = LexiconFile.class.getClassLoader().getResourceAsStream(resource);
        if (stream == null) {
            throw new IllegalStateException("Sentiment lexicon resource '" + resource + "' is not on the classpath");
        }
        Map<String, Double> entries = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank() || (line.startsWith("#") && line.indexOf('\t') < 0)) {
                    continue;
                }
                String[] columns = line.split("\t", 3);
                String token = columns[0].strip();
                if (columns.length < 2 || token.isEmpty()) {
                    throw broken(resource, number, "expected token<TAB>valence but found '" + line + "'");
                }
                double valence;
                try {
                    valence = Double.parseDouble(columns[1].strip());
                } catch (NumberFormatException e) {
                    throw broken(resource, number, "valence '" + columns[1] + "' is not a number");
                }
                if (!Double.isFinite(valence) || Math.abs(valence) > MAX_VALENCE) {
                    throw broken(resource, number, "valence " + valence + " is outside [-4, 4]");
                }
                entries.putIfAbsent(Normalizer.normalize(token.toLowerCase(Locale.ROOT), Normalizer.Form.NFC), valence);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Sentiment lexicon resource '" + resource + "' could not be read", e);
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("Sentiment lexicon resource '" + resource + "' has no entries");
        }
        return entries;
    }

    /**
     * The entries as the scorer looks them up, several times per word of every customer message (each phrase length
     * that could start there), mostly for words the lexicon does not have: a hash map, which compares a missing
     * word's cached hash before its characters, unlike {@link Map#copyOf}'s table.
     */
    static Map<String, Double> lookupTable(Map<String, Double> entries) {
        return Collections.unmodifiableMap(new HashMap<>(entries));
    }

    /** The number of words of the longest entry. */
    static int longestPhrase(Map<String, Double> entries) {
        int longest = 1;
        for (String token : entries.keySet()) {
            longest = Math.max(longest, token.split(" ").length);
        }
        return longest;
    }

    private static IllegalStateException broken(String resource, int line, String problem) {
        return new IllegalStateException("Sentiment lexicon resource '" + resource + "' is broken at line " + line + ": " + problem);
    }
}
