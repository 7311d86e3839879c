package io.messengerhub.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.de.GermanNormalizationFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The analysers every index of the hub shares. Text is indexed twice, because a customer writes German or English
 * and a search may be in either: {@code *_de} fields go through German analysis (umlauts and their ae/oe/ue
 * spellings folded, light stemming so plurals match, compounds split into the parts an operator lists), {@code *_en}
 * fields through English analysis (Porter stemming). Other fields are lower-cased words.
 */
public final class SearchAnalyzers {

    public static final String GERMAN_SUFFIX = "_de";
    public static final String ENGLISH_SUFFIX = "_en";

    private SearchAnalyzers() {
    }

    /**
     * Analysis for an index whose text fields are named {@code <name>_de} and {@code <name>_en}.
     *
     * @param compoundParts German words that occur inside compounds ("erstattung" in "Rückerstattungsantrag"); a
     *                      compound is indexed with its parts, so searching a part finds the whole word
     */
    public static Analyzer perField(Set<String> compoundParts, List<String> textFields) {
        Analyzer german = german(compoundParts);
        Analyzer english = new EnglishAnalyzer();
        var fields = new HashMap<String, Analyzer>();
        for (String field : textFields) {
            fields.put(field + GERMAN_SUFFIX, german);
            fields.put(field + ENGLISH_SUFFIX, english);
        }
        return new PerFieldAnalyzerWrapper(new StandardAnalyzer(CharArraySet.EMPTY_SET), Map.copyOf(fields));
    }

    /** German analysis: lower case, stop words, compound parts, umlaut folding, light stemming. */
    public static Analyzer german(Set<String> compoundParts) {
        CharArraySet parts = new CharArraySet(compoundParts, true);
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream stream = new LowerCaseFilter(source);
                stream = new StopFilter(stream, GermanAnalyzer.getDefaultStopSet());
                if (!parts.isEmpty()) {
                    // Parts are looked up before folding, so the list is written as German is (with umlauts).
                    stream = new DictionaryCompoundWordTokenFilter(stream, parts, 6, 3, 20, false);
                }
                stream = new GermanNormalizationFilter(stream);
                stream = new GermanLightStemFilter(stream);
                return new TokenStreamComponents(source, stream);
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new GermanNormalizationFilter(new LowerCaseFilter(in));
            }
        };
    }

    /** The terms an analyser makes of a text: what a query or a line of text means to the index. */
    public static Set<String> terms(Analyzer analyzer, String field, String text) {
        var terms = new LinkedHashSet<String>();
        try (TokenStream stream = analyzer.tokenStream(field, text == null ? "" : text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    /**
     * Reads the compound parts list: one word per line, {@code #} starts a comment. A missing file means no
     * splitting; the hub still searches whole words.
     */
    public static Set<String> readCompoundParts(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return Set.of();
        }
        try {
            var parts = new LinkedHashSet<String>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String word = line.replaceFirst("#.*", "").strip().toLowerCase(Locale.ROOT);
                if (!word.isEmpty()) {
                    parts.add(word);
                }
            }
            return parts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the compound parts list " + file, e);
        }
    }
}
