package io.messengerhub.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollingSentimentTest {

    @Test
    void shouldAverageOnlyTheLastSixMessages() {
        assertThat(RollingSentiment.WINDOW).isEqualTo(6);
        List<Double> sixHappy = List.of(0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
        List<Double> oneAngryBefore = List.of(-1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);

        assertThat(RollingSentiment.average(oneAngryBefore)).isCloseTo(0.5, within(1e-12));
        assertThat(RollingSentiment.level(oneAngryBefore)).isEqualTo(RollingSentiment.level(sixHappy)).isEqualTo(SentimentLevel.POSITIVE);
    }

    @Test
    void shouldCountTheSixthMostRecentMessage() {
        List<Double> angryAmongTheLastSix = List.of(-1.0, 0.5, 0.5, 0.5, 0.5, 0.5);

        assertThat(RollingSentiment.average(angryAmongTheLastSix)).isCloseTo(0.25, within(1e-12));
        assertThat(RollingSentiment.level(angryAmongTheLastSix)).isEqualTo(SentimentLevel.SLIGHTLY_POSITIVE);
    }

    @Test
    void shouldFollowAChangeOfMoodWithinTheWindow() {
        List<Double> turningSour = List.of(0.9, 0.8, 0.9, -0.7, -0.8, -0.9, -0.8, -0.7);

        assertThat(RollingSentiment.level(turningSour.subList(0, 3))).isEqualTo(SentimentLevel.VERY_POSITIVE);
        assertThat(RollingSentiment.level(turningSour)).isEqualTo(SentimentLevel.NEGATIVE);
    }

    @Test
    void shouldAverageFewerMessagesThanTheWindowAndBeNeutralWithoutAny() {
        assertThat(RollingSentiment.average(List.of(-0.4, -0.6))).isCloseTo(-0.5, within(1e-12));
        assertThat(RollingSentiment.level(List.of(-0.4, -0.6))).isEqualTo(SentimentLevel.NEGATIVE);
        assertThat(RollingSentiment.level(List.of())).isEqualTo(SentimentLevel.NEUTRAL);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "-1.0, VERY_NEGATIVE", "-0.65, VERY_NEGATIVE", "-0.6499, NEGATIVE", "-0.35, NEGATIVE",
            "-0.3499, SLIGHTLY_NEGATIVE", "-0.05, SLIGHTLY_NEGATIVE", "-0.0499, NEUTRAL", "0.0, NEUTRAL",
            "0.0499, NEUTRAL", "0.05, SLIGHTLY_POSITIVE", "0.3499, SLIGHTLY_POSITIVE", "0.35, POSITIVE",
            "0.6499, POSITIVE", "0.65, VERY_POSITIVE", "1.0, VERY_POSITIVE"})
    void shouldPlaceScoresOnTheSevenLevelScale(double compound, SentimentLevel level) {
        assertThat(SentimentLevel.of(compound)).isEqualTo(level);
        assertThat(RollingSentiment.level(List.of(compound))).isEqualTo(level);
    }

    @Test
    void shouldGiveEachLevelItsPolarity() {
        assertThat(SentimentLevel.values()).hasSize(7);
        assertThat(List.of(SentimentLevel.VERY_NEGATIVE, SentimentLevel.NEGATIVE, SentimentLevel.SLIGHTLY_NEGATIVE))
                .allSatisfy(level -> assertThat(level.polarity()).isEqualTo(-1));
        assertThat(SentimentLevel.NEUTRAL.polarity()).isZero();
        assertThat(List.of(SentimentLevel.SLIGHTLY_POSITIVE, SentimentLevel.POSITIVE, SentimentLevel.VERY_POSITIVE))
                .allSatisfy(level -> assertThat(level.polarity()).isEqualTo(1));
    }

    @Test
    void shouldRefuseScoresThatCannotBeCompounds() {
        assertThatThrownBy(() -> SentimentLevel.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SentimentLevel.of(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RollingSentiment.level(null)).isInstanceOf(NullPointerException.class);
    }
}
