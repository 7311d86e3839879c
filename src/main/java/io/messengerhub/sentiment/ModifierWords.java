package io.messengerhub.sentiment;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The words of a language that change the valence of others instead of having one: negators, boosters and dampeners
 * (with VADER's scalar), the contrast word of VADER's "but" rule, and for German the negators that may follow their
 * word ("das funktioniert nicht") and the conjunctions that end their reach.
 */
record ModifierWords(
        Set<String> negators,
        Set<String> negatorsAfterVerb,
        Map<String, Double> boosters,
        Set<String> alsoSentimentWords,
        Set<String> contrasts,
        Set<String> conjunctions,
        boolean englishRules,
        UnaryOperator<String> spelling) {

    /** VADER's booster step: "very good" is 0.293 more than "good", "slightly good" 0.293 less. */
    static final double BOOST = 0.293;
    static final double DAMPEN = -0.293;

    /** Modifier words are compared in the language's lexicon spelling ("äußerst" and "aeusserst" alike). */
    String key(String word) {
        return spelling.apply(word);
    }

    boolean isNegator(String word) {
        String key = key(word);
        return negators.contains(key) || (englishRules && key.contains("n't"));
    }

    boolean negatesAfterVerb(String word) {
        return negatorsAfterVerb.contains(key(word));
    }

    Double booster(String word) {
        return boosters.get(key(word));
    }

    /** Boosters that are also sentiment words on their own: "super" alone is praise, "super slow" is very slow. */
    boolean isAlsoSentimentWord(String word) {
        return alsoSentimentWords.contains(key(word));
    }

    boolean isContrast(String word) {
        return contrasts.contains(key(word));
    }

    boolean isConjunction(String word) {
        return conjunctions.contains(key(word));
    }

    /** VADER's lists (vaderSentiment.py: NEGATE and BOOSTER_DICT), with "nobody" and "noone" added as negators. */
    static final ModifierWords ENGLISH = new ModifierWords(
            Set.of("aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt", "hasnt",
                    "havent", "isnt", "mightnt", "mustnt", "neither", "neednt", "never", "none", "nope", "nor", "not",
                    "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "uh-uh", "wasnt", "werent", "without",
                    "wont", "wouldnt", "rarely", "seldom", "despite", "nobody", "noone"),
            Set.of(),
            boosters(Set.of("absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly",
                            "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
                            "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking",
                            "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging",
                            "greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely", "major", "majorly",
                            "more", "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
                            "thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably", "unusually",
                            "utter", "utterly", "very", "super", "pretty"),
                    Set.of("almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less",
                            "little", "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely",
                            "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of")),
            Set.of("super", "pretty"),
            Set.of("but"),
            Set.of(),
            true,
            UnaryOperator.identity());

    /**
     * German counterparts, written for this project. "nicht", "nie" and their colloquial forms also negate the verb
     * before them, because German puts them after the finite verb: "das gefällt mir nicht".
     */
    static final ModifierWords GERMAN = new ModifierWords(
            folded(Set.of("nicht", "nich", "net", "ned", "kein", "keine", "keinen", "keinem", "keiner", "keines", "keinerlei",
                    "nie", "niemals", "nimmer", "nichts", "nix", "ohne", "weder", "niemand", "niemanden", "niemandem",
                    "nirgends", "nirgendwo")),
            folded(Set.of("nicht", "nich", "net", "ned", "nie", "niemals", "nimmer", "nix")),
            folded(boosters(Set.of("sehr", "total", "extrem", "absolut", "echt", "wirklich", "so", "besonders", "äußerst",
                            "ausgesprochen", "höchst", "unglaublich", "unheimlich", "wahnsinnig", "irre", "komplett", "völlig",
                            "vollkommen", "voll", "gar", "überhaupt", "viel", "vielen", "deutlich", "enorm", "ziemlich",
                            "richtig", "mega", "super", "top", "derart", "dermaßen", "zutiefst", "riesig", "ultra", "tierisch",
                            "verdammt", "sowas", "furchtbar", "schrecklich", "extra", "zu"),
                    Set.of("etwas", "kaum", "bisschen", "bissl", "bisl", "bissel", "leicht", "wenig", "einigermaßen",
                            "halbwegs", "eher", "teilweise", "relativ", "fast", "beinahe", "recht", "ein wenig"))),
            folded(Set.of("super", "mega", "top", "richtig", "verdammt", "furchtbar", "schrecklich")),
            folded(Set.of("aber", "jedoch", "allerdings", "trotzdem", "dennoch")),
            folded(Set.of("und", "oder", "aber", "denn", "weil", "dass", "daß", "wenn", "ob", "sondern", "obwohl", "als",
                    "sowie", "jedoch", "trotzdem", "damit", "bevor", "nachdem")),
            false,
            GermanLexicon::fold);

    private static Map<String, Double> boosters(Set<String> increasing, Set<String> decreasing) {
        Map<String, Double> boosters = new HashMap<>();
        increasing.forEach(word -> boosters.put(word, BOOST));
        decreasing.forEach(word -> boosters.put(word, DAMPEN));
        return boosters;
    }

    private static Set<String> folded(Set<String> words) {
        Set<String> folded = new HashSet<>();
        words.forEach(word -> folded.add(GermanLexicon.fold(word)));
        return Set.copyOf(folded);
    }

    private static Map<String, Double> folded(Map<String, Double> words) {
        Map<String, Double> folded = new HashMap<>();
        words.forEach((word, scalar) -> folded.put(GermanLexicon.fold(word), scalar));
        return Map.copyOf(folded);
    }
}
