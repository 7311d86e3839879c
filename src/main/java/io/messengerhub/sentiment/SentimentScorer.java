package io.messengerhub.sentiment;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

import io.messengerhub.sentiment.MessageTokens.Token;

/**
 * Scores a customer message from -1 (very negative) to +1 (very positive) as it arrives, in German or English, with
 * the VADER algorithm (Hutto &amp; Gilbert 2014, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
 * Social Media Text"), implemented here on VADER's English lexicon and this project's German one:
 * <ol>
 *   <li>every word, emoji, emoticon or phrase a lexicon knows contributes its valence (-4..+4);</li>
 *   <li>a word in capitals in a message that is not all capitals gets 0.733 more in its direction ("BAD");</li>
 *   <li>up to three words before it, in the same clause: a booster adds 0.293 in its direction ("very", "sehr"), a
 *       dampener takes 0.293 away ("slightly", "etwas"), less the further away (×0.95, ×0.9); a negator ("not",
 *       "nicht", "kein", "doesn't") multiplies by -0.74;</li>
 *   <li>German only: "nicht"/"nie" up to three words after a word negates it too, unless it stands before a sentiment
 *       word of its own, because German puts them after the finite verb ("das gefällt mir nicht");</li>
 *   <li>the "but" rule: with "but" ("aber", "jedoch", "trotzdem", ...) what comes before counts half, what comes
 *       after one and a half times ("I was skeptical but it is good");</li>
 *   <li>the sum is pushed 0.292 further out per "!" (at most four) and by 0.18 per "?" when there are two or three
 *       (0.96 for more), then normalised to {@code sum / sqrt(sum² + 15)}.</li>
 * </ol>
 * Deliberate differences from the reference implementation: negation and boosters do not reach across a comma or
 * full stop ("nicht, danke, gut" leaves "gut" alone) nor, in German, across a conjunction; "nobody"/"noone" negate;
 * "super" and "pretty" boost a following sentiment word and are praise only on their own; emoji and
 * emoticons are never negated or boosted (VADER turns emoji into words first, so "nobody cares 😢" would flip the 😢).
 * <p>
 * Immutable after construction and safe to share between threads; build one and keep it, loading the lexicons takes
 * a moment.
 */
public final class SentimentScorer {

    /** VADER: capitals for emphasis. */
    static final double CAPITALS = 0.733;
    /** VADER: negation factor. */
    static final double NEGATION = -0.74;
    /** VADER: normalisation constant, the sum at which the compound reaches about ±0.5 is sqrt(5). */
    static final double ALPHA = 15.0;
    /** VADER: per exclamation mark, counting at most four. */
    static final double EXCLAMATION = 0.292;
    /** VADER: per question mark when there are two or three. */
    static final double QUESTION = 0.18;
    /** VADER: how far back (and, in German, forward) negators and boosters reach. */
    private static final int REACH = 3;

    private final SentimentLexicon english;
    private final SentimentLexicon german;
    private final SentimentLexicon emoji;

    /** Loads the English (VADER plus customer-service adjustments), German and emoji lexicons from the classpath. */
    public SentimentScorer() {
        this(new EnglishLexicon(), new GermanLexicon(), new EmojiLexicon());
    }

    SentimentScorer(SentimentLexicon english, SentimentLexicon german, SentimentLexicon emoji) {
        this.english = Objects.requireNonNull(english, "english");
        this.german = Objects.requireNonNull(german, "german");
        this.emoji = Objects.requireNonNull(emoji, "emoji");
    }

    /**
     * The sentiment of one customer message.
     *
     * @param text   the message as the customer typed it; null or blank is neutral (an image, a sticker)
     * @param locale the customer's locale when the hub knows it (German for "de", English for any other language);
     *               null to detect the language from the text, see {@link Language#detect(String)}
     */
    public MessageSentiment score(String text, Locale locale) {
        Language language = Language.of(locale).orElseGet(() -> Language.detect(text));
        if (text == null || text.isBlank()) {
            return new MessageSentiment(0.0, language);
        }
        Message message = new Message(MessageTokens.of(text), language == Language.DE ? german : english,
                language == Language.DE ? ModifierWords.GERMAN : ModifierWords.ENGLISH);
        double sum = message.sentimentSum();
        if (sum != 0.0) {
            sum += Math.signum(sum) * punctuationEmphasis(text);
        }
        return new MessageSentiment(normalise(sum), language);
    }

    /** VADER's squashing of a sum of valences into [-1, 1]. */
    static double normalise(double sum) {
        double compound = sum / Math.sqrt(sum * sum + ALPHA);
        return Math.max(-1.0, Math.min(1.0, compound));
    }

    private static double punctuationEmphasis(String text) {
        int exclamations = 0;
        int questions = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '!') {
                exclamations++;
            } else if (c == '?') {
                questions++;
            }
        }
        double emphasis = Math.min(exclamations, 4) * EXCLAMATION;
        if (questions > 1) {
            emphasis += questions <= 3 ? questions * QUESTION : 0.96;
        }
        return emphasis;
    }

    /*
     * Plain loops over the characters, not streams: in the hub the score cost several times what it costs in a loop of
     * its own (bench/README.md, "Issue 14, session 18").
     */

    private static boolean hasLetter(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (Character.isLetter(word.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean lettersAndDigitsOnly(String typed) {
        for (int i = 0; i < typed.length(); i++) {
            if (!Character.isLetterOrDigit(typed.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** What a token does in its message. */
    private enum Role { SENTIMENT, BOOSTER, NEGATOR, PART_OF_PHRASE, OTHER }

    /** One message being scored: its tokens, what each one does, and their valences. */
    private final class Message {

        private final List<Token> tokens;
        private final SentimentLexicon words;
        private final ModifierWords modifiers;
        private final Role[] roles;
        private final double[] valences;
        private final double[] scalars;
        /** For the last word of a phrase: where the phrase starts, which is where modifiers are looked for. */
        private final int[] starts;
        /** VADER only counts capitals as emphasis when the message also has words that are not in capitals. */
        private final boolean capitalsStandOut;

        Message(List<Token> tokens, SentimentLexicon words, ModifierWords modifiers) {
            this.tokens = tokens;
            this.words = words;
            this.modifiers = modifiers;
            int size = tokens.size();
            this.roles = new Role[size];
            this.valences = new double[size];
            this.scalars = new double[size];
            this.starts = new int[size];
            int wordCount = 0;
            int shouted = 0;
            for (Token token : tokens) {
                if (hasLetter(token.word())) {
                    wordCount++;
                }
                if (token.shouted()) {
                    shouted++;
                }
            }
            this.capitalsStandOut = shouted > 0 && shouted < wordCount;
            assignRoles();
        }

        double sentimentSum() {
            double[] sentiments = new double[tokens.size()];
            for (int i = 0; i < tokens.size(); i++) {
                if (roles[i] == Role.SENTIMENT && valences[i] != 0.0) {
                    sentiments[i] = modified(i);
                }
            }
            applyContrast(sentiments);
            double sum = 0.0;
            for (double sentiment : sentiments) {
                sum += sentiment;
            }
            return sum;
        }

        private void assignRoles() {
            double[] own = new double[tokens.size()];
            boolean[] known = new boolean[tokens.size()];
            for (int i = 0; i < tokens.size(); i++) {
                OptionalDouble valence = lookUp(tokens.get(i));
                known[i] = valence.isPresent();
                own[i] = valence.orElse(0.0);
            }
            for (int i = 0; i < tokens.size(); i++) {
                starts[i] = i;
                int phrase = phraseAt(i);
                if (phrase > 1) {
                    for (int part = i; part < i + phrase - 1; part++) {
                        roles[part] = Role.PART_OF_PHRASE;
                    }
                    int last = i + phrase - 1;
                    roles[last] = Role.SENTIMENT;
                    valences[last] = words.valence(phraseKey(i, phrase)).orElseThrow();
                    starts[last] = i;
                    i = last;
                    continue;
                }
                String word = tokens.get(i).word();
                Double twoWordBooster = i + 1 < tokens.size() && sameClause(i, i + 1)
                        ? modifiers.booster(word + " " + tokens.get(i + 1).word()) : null;
                if (twoWordBooster != null) {
                    roles[i] = Role.PART_OF_PHRASE;
                    roles[i + 1] = Role.BOOSTER;
                    scalars[i + 1] = twoWordBooster;
                    starts[i + 1] = i + 1;
                    i++;
                    continue;
                }
                boolean sentimentFollows = i + 1 < tokens.size() && sameClause(i, i + 1) && own[i + 1] != 0.0
                        && !isModifier(tokens.get(i + 1).word());
                if (!tokens.get(i).emoji() && modifiers.isNegator(word)) {
                    roles[i] = Role.NEGATOR;
                } else if (modifiers.englishRules() && word.equals("no") && sentimentFollows) {
                    roles[i] = Role.NEGATOR; // VADER: "no problem" negates "problem", a lone "no" is negative itself
                } else if (modifiers.booster(word) != null && (!modifiers.isAlsoSentimentWord(word) || sentimentFollows)) {
                    roles[i] = Role.BOOSTER;
                    scalars[i] = modifiers.booster(word);
                } else if (known[i]) {
                    roles[i] = Role.SENTIMENT;
                    valences[i] = own[i];
                } else {
                    roles[i] = Role.OTHER;
                }
            }
        }

        private boolean isModifier(String word) {
            return modifiers.isNegator(word) || (modifiers.booster(word) != null && !modifiers.isAlsoSentimentWord(word));
        }

        /** The number of words of the longest phrase in the lexicon starting at this token, 0 when there is none. */
        private int phraseAt(int i) {
            for (int length = Math.min(words.longestPhrase(), tokens.size() - i); length >= 2; length--) {
                if (sameClause(i, i + length - 1) && words.valence(phraseKey(i, length)).isPresent()) {
                    return length;
                }
            }
            return 0;
        }

        private String phraseKey(int start, int length) {
            StringBuilder key = new StringBuilder();
            for (int i = start; i < start + length; i++) {
                key.append(i == start ? "" : " ").append(tokens.get(i).word());
            }
            return key.toString();
        }

        /** Emoji from the emoji lexicon, emoticons (":)", "<3") from VADER's in either language, words from the language's. */
        private OptionalDouble lookUp(Token token) {
            if (token.emoji()) {
                return emoji.valence(token.word());
            }
            if (token.punctuationOnly() || !lettersAndDigitsOnly(token.typed())) {
                OptionalDouble emoticon = english.valence(token.typed().toLowerCase(Locale.ROOT));
                if (emoticon.isPresent() && token.typed().length() <= 4) {
                    return emoticon;
                }
            }
            return token.word().isEmpty() ? OptionalDouble.empty() : words.valence(token.word());
        }

        /** No punctuation closing a clause between these two tokens. */
        private boolean sameClause(int from, int to) {
            for (int i = from; i < to; i++) {
                if (tokens.get(i).endsClause()) {
                    return false;
                }
            }
            return true;
        }

        /** VADER's sentiment_valence for the sentiment token at i: capitals, boosters and negators before it, German negators after it. */
        private double modified(int i) {
            double valence = valences[i];
            if (tokens.get(i).emoji() || tokens.get(i).punctuationOnly()) {
                return valence; // an emoji or emoticon shows the writer's feeling: "nobody cares 😢" is not a happy 😢
            }
            if (tokens.get(i).shouted() && capitalsStandOut) {
                valence += valence > 0 ? CAPITALS : -CAPITALS;
            }
            int start = starts[i];
            for (int distance = 1; distance <= REACH; distance++) {
                int j = start - distance;
                if (j < 0 || tokens.get(j).endsClause() || modifiers.isConjunction(tokens.get(j).word())) {
                    break;
                }
                if (roles[j] == Role.BOOSTER) {
                    valence += scaled(j, valence, distance);
                } else if (roles[j] == Role.NEGATOR) {
                    valence *= NEGATION;
                } else if (modifiers.englishRules() && distance == 1 && tokens.get(j).word().equals("least")
                        && (j == 0 || !List.of("at", "very").contains(tokens.get(j - 1).word()))) {
                    valence *= NEGATION; // VADER's "least" rule: "least helpful" is not helpful, "at least" is harmless
                }
            }
            return modifiers.negatorsAfterVerb().isEmpty() ? valence : negatedAfterwards(i, valence);
        }

        /** A booster's contribution, VADER's scalar_inc_dec: in the word's direction, stronger in capitals, weaker further away. */
        private double scaled(int j, double valence, int distance) {
            double scalar = valence < 0 ? -scalars[j] : scalars[j];
            if (tokens.get(j).shouted() && capitalsStandOut) {
                scalar += valence > 0 ? CAPITALS : -CAPITALS;
            }
            return distance == 2 ? scalar * 0.95 : distance == 3 ? scalar * 0.9 : scalar;
        }

        /**
         * German: "funktioniert überhaupt nicht", "gefällt mir gar nicht". A negator within three words after the
         * sentiment word, in the same clause and with no other sentiment word in between, negates it, taking the
         * boosters in between along ("gar", "überhaupt"); unless a sentiment word follows the negator, which it then
         * belongs to ("klappt nicht gut" is "nicht gut").
         */
        private double negatedAfterwards(int i, double valence) {
            double boost = 0.0;
            for (int k = i + 1; k <= i + REACH && k < tokens.size() && sameClause(k - 1, k); k++) {
                String word = tokens.get(k).word();
                if ((roles[k] == Role.SENTIMENT && valences[k] != 0.0) || modifiers.isConjunction(word)) {
                    return valence;
                }
                if (roles[k] == Role.BOOSTER) {
                    boost += valence < 0 ? -scalars[k] : scalars[k];
                    continue;
                }
                if (roles[k] == Role.NEGATOR && modifiers.negatesAfterVerb(word)) {
                    int next = k + 1;
                    while (next < tokens.size() && sameClause(next - 1, next) && roles[next] == Role.BOOSTER) {
                        next++;
                    }
                    boolean ownWord = next < tokens.size() && sameClause(next - 1, next)
                            && roles[next] == Role.SENTIMENT && valences[next] != 0.0;
                    return ownWord ? valence : (valence + boost) * NEGATION;
                }
            }
            return valence;
        }

        /** VADER's "but" rule, with the first contrast word of the message. */
        private void applyContrast(double[] sentiments) {
            for (int b = 0; b < tokens.size(); b++) {
                if (modifiers.isContrast(tokens.get(b).word())) {
                    for (int i = 0; i < sentiments.length; i++) {
                        sentiments[i] *= i < b ? 0.5 : i > b ? 1.5 : 1.0;
                    }
                    return;
                }
            }
        }
    }
}
