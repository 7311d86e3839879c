package io.messengerhub.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each feature of the scorer on its own, so that a broken rule fails by name rather than as a dip in accuracy. */
class SentimentScorerTest {

    private static final Locale GERMAN = Locale.GERMAN;
    private static final Locale ENGLISH = Locale.ENGLISH;

    private static SentimentScorer scorer;

    @BeforeAll
    static void buildScorer() {
        scorer = new SentimentScorer();
    }

    private static double en(String text) {
        return scorer.score(text, ENGLISH).compound();
    }

    private static double de(String text) {
        return scorer.score(text, GERMAN).compound();
    }

    @Test
    void shouldFlipTheSignWhenAWordIsNegated() {
        assertThat(en("good")).isPositive();
        assertThat(en("not good")).isNegative();
        assertThat(en("It doesn't work")).isNegative();
        assertThat(en("not bad at all")).isPositive();
        assertThat(de("gut")).isPositive();
        assertThat(de("nicht gut")).isNegative();
        assertThat(de("Das ist nicht schlecht")).isPositive();
        assertThat(de("Ich bin nicht zufrieden")).isNegative();
    }

    @Test
    void shouldReadNoProblemAsReassuranceNotAsAProblem() {
        assertThat(en("problem")).isNegative();
        assertThat(en("no problem")).isPositive();
        assertThat(de("Problem")).isNegative();
        assertThat(de("kein Problem")).isPositive();
        assertThat(de("ohne Probleme")).isPositive();
    }

    @Test
    void shouldNegateAGermanVerbWhenNichtFollowsIt() {
        assertThat(de("Das funktioniert")).isPositive();
        assertThat(de("Das funktioniert nicht")).isNegative();
        assertThat(de("Das gefällt mir gar nicht")).isNegative();
        assertThat(de("Der Drucker funktioniert seit gestern nicht mehr")).isNegative();
        // "gar" strengthens the negation that follows
        assertThat(de("Das gefällt mir gar nicht")).isLessThan(de("Das gefällt mir nicht"));
    }

    @Test
    void shouldLeaveTheVerbAloneWhenNichtBelongsToTheWordAfterIt() {
        // "nicht" negates "gut", not "klappt": one negation, not two
        assertThat(de("Das klappt nicht gut")).isNegative();
        assertThat(de("Das klappt nicht gut")).isGreaterThan(-0.5);
    }

    @Test
    void shouldNotLetNegationReachIntoTheNextClause() {
        assertThat(de("Nicht schlimm, das ist gut")).isGreaterThan(de("das ist gut"));
        assertThat(en("Not a problem, the jacket is great")).isPositive();
    }

    @Test
    void shouldStrengthenWithBoostersAndWeakenWithDampeners() {
        assertThat(en("very good")).isGreaterThan(en("good"));
        assertThat(en("extremely bad")).isLessThan(en("bad"));
        assertThat(en("slightly annoying")).isNegative().isGreaterThan(en("annoying"));
        assertThat(de("sehr gut")).isGreaterThan(de("gut"));
        assertThat(de("total enttäuscht")).isLessThan(de("enttäuscht"));
        assertThat(de("etwas teuer")).isNegative().isGreaterThan(de("teuer"));
        assertThat(de("superschnell")).isGreaterThan(de("schnell"));
    }

    @Test
    void shouldTreatSuperAsPraiseAloneAndAsABoosterBeforeAnotherWord() {
        assertThat(de("super")).isPositive();
        assertThat(de("super langsam")).isLessThan(de("langsam"));
        assertThat(en("super slow")).isLessThan(en("slow"));
        assertThat(en("pretty annoying")).isLessThan(en("annoying"));
    }

    @Test
    void shouldEmphasiseAWordInCapitalsWhenTheRestIsNot() {
        assertThat(en("The service was BAD")).isLessThan(en("The service was bad"));
        assertThat(en("This is GREAT")).isGreaterThan(en("This is great"));
        assertThat(de("Der Service war SCHLECHT")).isLessThan(de("Der Service war schlecht"));
        // a message entirely in capitals has nothing to stand out from (VADER's rule)
        assertThat(en("THE SERVICE WAS BAD")).isEqualTo(en("the service was bad"));
    }

    @Test
    void shouldScoreEmojiAloneWithTheRightSignInBothLanguages() {
        for (Locale locale : List.of(ENGLISH, GERMAN)) {
            assertThat(scorer.score("👍", locale).compound()).as("👍 " + locale).isPositive();
            assertThat(scorer.score("😍", locale).compound()).as("😍 " + locale).isPositive();
            assertThat(scorer.score("❤️", locale).compound()).as("❤️ with variation selector " + locale).isPositive();
            assertThat(scorer.score("👍🏽", locale).compound()).as("👍 with skin tone " + locale).isPositive();
            assertThat(scorer.score("😡", locale).compound()).as("😡 " + locale).isNegative();
            assertThat(scorer.score("👎", locale).compound()).as("👎 " + locale).isNegative();
            assertThat(scorer.score("💩", locale).compound()).as("💩 " + locale).isNegative();
        }
    }

    @Test
    void shouldSeparateEmojiTypedWithoutASpace() {
        assertThat(de("danke👍")).isGreaterThan(de("danke"));
        assertThat(en("ok😡😡")).isLessThan(en("ok😡"));
    }

    @Test
    void shouldKeepEmoticonsWholeInBothLanguages() {
        assertThat(en(":)")).isPositive();
        assertThat(en("thanks :-)")).isGreaterThan(en("thanks"));
        assertThat(de(":(")).isNegative();
        assertThat(de("<3")).isPositive();
    }

    @Test
    void shouldNotNegateAnEmoji() {
        assertThat(en("nobody cares 😢")).isLessThan(en("nobody cares"));
        assertThat(de("keinen interessiert es 😢")).isNegative();
    }

    @Test
    void shouldEmphasiseWithExclamationMarks() {
        assertThat(en("good!!!")).isGreaterThan(en("good!")).isGreaterThan(en("good"));
        assertThat(de("schlecht!!")).isLessThan(de("schlecht"));
        // only four count
        assertThat(en("good!!!!!!!!")).isEqualTo(en("good!!!!"));
        // punctuation alone carries no sentiment
        assertThat(en("!!!")).isZero();
    }

    @Test
    void shouldWeighWhatComesAfterButMore() {
        assertThat(en("The food was good but the service was terrible")).isNegative();
        assertThat(en("The service was terrible but the food was good")).isPositive();
        assertThat(de("Das Essen war schlecht, aber der Service war super")).isPositive();
        assertThat(de("Der Service war super, aber das Essen war schlecht")).isNegative();
        assertThat(de("Die Lieferung war spät, trotzdem danke")).isPositive();
    }

    @Test
    void shouldUseTheLocaleWhenGivenAndDetectTheLanguageOtherwise() {
        assertThat(scorer.score("gut", Locale.GERMANY).language()).isEqualTo(Language.DE);
        assertThat(scorer.score("gut", Locale.ENGLISH).language()).isEqualTo(Language.EN);
        assertThat(scorer.score("c'est bien", Locale.FRENCH).language()).isEqualTo(Language.EN);
        assertThat(scorer.score("Das ist nicht gut", null).language()).isEqualTo(Language.DE);
        assertThat(scorer.score("Danke!", null).language()).isEqualTo(Language.DE);
        assertThat(scorer.score("Grüße aus Köln", null).language()).isEqualTo(Language.DE);
        assertThat(scorer.score("This is not good", null).language()).isEqualTo(Language.EN);
        assertThat(scorer.score("👍", null).language()).isEqualTo(Language.EN);
        assertThat(scorer.score("Das ist nicht gut", Locale.ROOT).language()).as("a locale without a language").isEqualTo(Language.DE);
        // the language decides the lexicon: "gut" is no English word
        assertThat(scorer.score("gut", Locale.ENGLISH).compound()).isZero();
        assertThat(scorer.score("Das ist nicht gut", null).compound()).isNegative();
    }

    @Test
    void shouldFindGermanWordsWrittenWithoutUmlauts() {
        assertThat(de("schoen")).isPositive().isEqualTo(de("schön"));
        assertThat(de("enttaeuscht")).isNegative().isEqualTo(de("enttäuscht"));
        assertThat(de("aergerlich")).isNegative().isEqualTo(de("ärgerlich"));
        assertThat(de("Grüsse")).isEqualTo(de("Grüße"));
        // dots left off entirely: only for longer words, "schon" stays "already"
        assertThat(de("enttauscht")).isEqualTo(de("enttäuscht"));
        assertThat(de("schon")).isZero();
    }

    @Test
    void shouldUnderstandGermanWordFormation() {
        assertThat(de("Lieferverzögerung")).isNegative();
        assertThat(de("Scheißladen")).isNegative();
        assertThat(de("unschön")).isNegative();
        assertThat(de("unbeschädigt")).isPositive();
        assertThat(de("schnelleren")).isPositive();
        assertThat(de("verpasst")).as("a verb prefix, not a compound of 'passt'").isZero();
    }

    @Test
    void shouldScoreIdiomsAndFormulasAsPhrases() {
        assertThat(de("nie wieder")).isNegative();
        assertThat(de("Na toll")).isNegative();
        assertThat(en("never again")).isNegative();
        assertThat(en("I'm fed up")).isNegative();
        assertThat(de("Guten Tag")).isZero();
        assertThat(de("Mit freundlichen Grüßen")).isZero();
        assertThat(en("I would like to return this")).isZero();
        assertThat(en("Kind regards")).isZero();
    }

    @Test
    void shouldScoreEmptyAndWordlessMessagesAsNeutral() {
        assertThat(scorer.score(null, null)).isEqualTo(new MessageSentiment(0.0, Language.EN));
        assertThat(scorer.score(null, GERMAN)).isEqualTo(new MessageSentiment(0.0, Language.DE));
        assertThat(scorer.score("", ENGLISH).compound()).isZero();
        assertThat(scorer.score("   \n ", GERMAN).compound()).isZero();
        assertThat(scorer.score("Bestellnummer 48213", GERMAN).level()).isEqualTo(SentimentLevel.NEUTRAL);
        assertThat(scorer.score("Where is my order?", ENGLISH).level()).isEqualTo(SentimentLevel.NEUTRAL);
    }

    @Test
    void shouldKeepTheCompoundWithinMinusOneAndOne() {
        String praise = "AMAZING!!!! ".repeat(50) + "😍".repeat(50);
        String rage = "TERRIBLE!!!! ".repeat(50) + "🤬".repeat(50);

        assertThat(scorer.score(praise, ENGLISH).compound()).isPositive().isLessThanOrEqualTo(1.0);
        assertThat(scorer.score(rage, ENGLISH).compound()).isNegative().isGreaterThanOrEqualTo(-1.0);
        assertThat(scorer.score(rage, ENGLISH).level()).isEqualTo(SentimentLevel.VERY_NEGATIVE);
    }

    @Test
    void shouldGiveTheSameScoresWhenSharedBetweenThreads() {
        List<String> texts = List.of("Danke, super Service!", "The screen was cracked 😡", "nicht gut", "not bad at all");
        List<Double> sequential = texts.stream().map(text -> scorer.score(text, null).compound()).toList();

        List<List<Double>> parallel = IntStream.range(0, 200).parallel()
                .mapToObj(i -> texts.stream().map(text -> scorer.score(text, null).compound()).toList())
                .toList();

        assertThat(parallel).allSatisfy(scores -> assertThat(scores).isEqualTo(sequential));
    }
}
