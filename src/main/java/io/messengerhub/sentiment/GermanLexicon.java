package io.messengerhub.sentiment;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * German valences from {@value #RESOURCE}, a lexicon written for this project in VADER's format and scale because no
 * openly licensed German one is packaged in a registry.
 * <p>
 * German is written in more ways than a word list covers, so a token the file does not list is found, in this order:
 * <ol>
 *   <li>with ae/oe/ue/ss for ä/ö/ü/ß ("schoen" is "schön"): both the file and the token are compared in that spelling;</li>
 *   <li>with the umlaut dots left off ("enttauscht"), for words of six letters or more, where that rarely meets another
 *       word (unlike "schon"/"schön");</li>
 *   <li>without an adjective ending (-e, -en, -em, -er, -es) the file lacks ("schnelleren" as "schneller");</li>
 *   <li>as an intensified word: "superschnell", "stinksauer", "riesenärger" are the word, one booster step stronger;</li>
 *   <li>as a swearword compound: "scheißladen", "mistding" are as bad as the swearword;</li>
 *   <li>as "un-" plus a known word, negated like "nicht" does ("unschön", "unbeschädigt");</li>
 *   <li>by the last part of a compound, which in German carries its meaning ("lieferverzögerung" is a
 *       "verzögerung"), unless the first part is a verb prefix ("verpasst" is not "passt").</li>
 * </ol>
 */
public final class GermanLexicon implements SentimentLexicon {

    public static final String RESOURCE = "sentiment/de-lexicon.tsv";

    /** Word-forming prefixes that intensify the word they are put in front of; folded once, as tokens are. */
    private static final List<String> INTENSIFYING_PREFIXES = Stream.of("super", "mega", "ultra", "hyper", "extrem", "riesen",
            "stink", "mords", "bomben", "grotten", "affen", "sau", "tod", "top", "ober", "über", "tief", "hoch", "höchst")
            .map(GermanLexicon::fold).toList();
    /**
     * Swearwords that make any compound they start as bad as themselves, with the entry whose valence they carry;
     * folded once, as tokens are.
     */
    private static final Map<String, String> PEJORATIVE_PREFIXES = Map.of("scheiß", "scheiß", "drecks", "dreck",
            "kack", "kacke", "schrott", "schrott", "mist", "mist", "müll", "müll").entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(entry -> fold(entry.getKey()), entry -> fold(entry.getValue())));
    /** Prefixes of verbs: "verpasst", "bestimmt", "erwartet" mean something else than "passt", "stimmt", "wartet". */
    private static final Set<String> VERB_PREFIXES = Set.of("ver", "ent", "zer", "emp", "auf", "aus", "ein", "mit", "vor",
            "weg", "nach", "ueber", "unter", "durch", "zurueck", "weiter", "wieder", "hinter", "gegen", "herum", "heraus");
    /** Entries that end many unrelated compounds ("Preisklasse", "Vorsorge", "Schuhspitze", "Vorschlaghammer"). */
    private static final Set<String> NOT_A_COMPOUND_HEAD = Set.of("klasse", "spitze", "sorge", "sorgen", "hammer", "stimmen",
            "passen", "passt", "passte", "retten", "danke", "super", "prima", "lieber", "liebe", "lieben");

    private final Map<String, Double> valences;
    private final Map<String, Double> withoutDots;
    private final int longestPhrase;

    /** Loads the lexicon; throws {@link IllegalStateException} naming the resource when it is missing or broken. */
    public GermanLexicon() {
        this(RESOURCE);
    }

    GermanLexicon(String resource) {
        Map<String, Double> folded = new LinkedHashMap<>();
        Map<String, Double> dotless = new HashMap<>();
        LexiconFile.read(resource).forEach((token, valence) -> {
            folded.putIfAbsent(fold(token), valence);
            if (token.length() >= 6 && !token.contains(" ") && !fold(token).equals(dropDots(token))) {
                dotless.putIfAbsent(dropDots(token), valence);
            }
        });
        dotless.keySet().removeAll(folded.keySet());
        this.valences = LexiconFile.lookupTable(folded);
        this.withoutDots = LexiconFile.lookupTable(dotless);
        this.longestPhrase = LexiconFile.longestPhrase(valences);
    }

    @Override
    public OptionalDouble valence(String lowercaseToken) {
        String token = fold(lowercaseToken);
        Double known = word(token);
        if (known == null && token.chars().allMatch(Character::isLetter)) {
            known = wordFormation(token);
        }
        return known == null ? OptionalDouble.empty() : OptionalDouble.of(known);
    }

    @Override
    public int longestPhrase() {
        return longestPhrase;
    }

    @Override
    public int size() {
        return valences.size();
    }

    /**
     * The spelling tokens and entries are compared in: lowercase NFC with ä, ö, ü, ß written ae, oe, ue, ss, so that
     * "Grüße", "Gruesse" and "Grüsse" are one word.
     */
    static String fold(String lowercase) {
        String nfc = Normalizer.normalize(lowercase, Normalizer.Form.NFC);
        StringBuilder folded = new StringBuilder(nfc.length() + 4);
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            switch (c) {
                case 'ä' -> folded.append("ae");
                case 'ö' -> folded.append("oe");
                case 'ü' -> folded.append("ue");
                case 'ß' -> folded.append("ss");
                default -> folded.append(c);
            }
        }
        return folded.toString();
    }

    private static String dropDots(String lowercase) {
        return Normalizer.normalize(lowercase, Normalizer.Form.NFC)
                .replace('ä', 'a').replace('ö', 'o').replace('ü', 'u').replace("ß", "ss");
    }

    /** A listed word or phrase, in the folded or the dotless spelling. */
    private Double word(String folded) {
        Double valence = valences.get(folded);
        return valence != null ? valence : withoutDots.get(folded);
    }

    /** A listed word, also without an adjective ending the file does not list. */
    private Double inflected(String folded) {
        Double valence = word(folded);
        if (valence != null) {
            return valence;
        }
        for (String ending : List.of("en", "em", "er", "es", "e")) {
            if (folded.endsWith(ending) && folded.length() - ending.length() >= 4) {
                valence = word(folded.substring(0, folded.length() - ending.length()));
                if (valence != null) {
                    return valence;
                }
            }
        }
        return null;
    }

    private Double wordFormation(String folded) {
        Double valence = inflected(folded);
        if (valence != null) {
            return valence;
        }
        for (String start : INTENSIFYING_PREFIXES) {
            if (folded.startsWith(start) && folded.length() - start.length() >= 3) {
                Double inner = inflected(folded.substring(start.length()));
                if (inner != null && inner != 0.0) {
                    return Math.max(-LexiconFile.MAX_VALENCE, Math.min(LexiconFile.MAX_VALENCE,
                            inner + Math.signum(inner) * ModifierWords.BOOST));
                }
            }
        }
        for (Map.Entry<String, String> swearword : PEJORATIVE_PREFIXES.entrySet()) {
            String start = swearword.getKey();
            if (folded.startsWith(start) && folded.length() - start.length() >= 4 && !folded.startsWith("mister")) {
                return word(swearword.getValue());
            }
        }
        if (folded.startsWith("un") && folded.length() >= 6) {
            Double negated = inflected(folded.substring(2));
            if (negated != null && negated != 0.0) {
                // VADER's negation factor: "unfreundlich" is "freundlich" negated.
                return negated * SentimentScorer.NEGATION;
            }
        }
        // The longest known last part wins: "kundenzufriedenheit" is a "zufriedenheit" before it is a "heit".
        for (int split = 3; split <= folded.length() - 5; split++) {
            String head = folded.substring(split);
            if (NOT_A_COMPOUND_HEAD.contains(head) || VERB_PREFIXES.contains(folded.substring(0, split))) {
                continue;
            }
            Double headValence = word(head);
            if (headValence != null && headValence != 0.0) {
                return headValence;
            }
        }
        return null;
    }
}
