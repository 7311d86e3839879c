package io.messengerhub.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SentimentLexiconTest {

    @Test
    void shouldLoadVadersLexiconFromTheRegistryPackageWithTheServiceAdjustments() {
        EnglishLexicon english = new EnglishLexicon();

        assertThat(english.size()).isGreaterThan(7000);
        assertThat(english.valence("good").getAsDouble()).isEqualTo(1.9);
        assertThat(english.valence(":)").getAsDouble()).isPositive();
        assertThat(english.valence("please").getAsDouble()).as("adjusted: politeness is no sentiment").isZero();
        assertThat(english.valence("fed up")).as("a phrase").isPresent();
        assertThat(english.valence("gut")).isEmpty();
    }

    @Test
    void shouldLoadAGeneralPurposeGermanLexicon() {
        GermanLexicon german = new GermanLexicon();

        assertThat(german.size()).isGreaterThanOrEqualTo(800);
        assertThat(german.valence("zufrieden").getAsDouble()).isPositive();
        assertThat(german.valence("zufriedenen").getAsDouble()).isEqualTo(german.valence("zufrieden").getAsDouble());
        assertThat(german.valence("kaputt").getAsDouble()).isNegative();
        assertThat(german.valence("frechheit").getAsDouble()).isNegative();
        assertThat(german.valence("nie wieder").getAsDouble()).isNegative();
        assertThat(german.valence("nicht")).as("negators modify, they have no valence").isEmpty();
        assertThat(german.longestPhrase()).isGreaterThan(1);
    }

    @Test
    void shouldLookUpEmojiWithoutVariationSelectorsAndSkinTones() {
        EmojiLexicon emoji = new EmojiLexicon();

        assertThat(emoji.valence("❤️")).isEqualTo(emoji.valence("❤"));
        assertThat(emoji.valence("👍🏿")).isEqualTo(emoji.valence("👍"));
        assertThat(emoji.valence("🤦‍♀️")).as("a joined sequence scores as its first emoji").isEqualTo(emoji.valence("🤦"));
        assertThat(emoji.valence("📦")).isEmpty();
    }

    @Test
    void shouldNameTheResourceThatIsMissing() {
        assertThatThrownBy(() -> new GermanLexicon("sentiment/no-such-lexicon.tsv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sentiment/no-such-lexicon.tsv");
    }

    @Test
    void shouldNameTheResourceAndLineThatIsBroken() {
        assertThatThrownBy(() -> LexiconFile.read("sentiment/broken-lexicon.tsv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sentiment/broken-lexicon.tsv")
                .hasMessageContaining("line 4");
        assertThatThrownBy(() -> LexiconFile.read("sentiment/out-of-scale-lexicon.tsv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside [-4, 4]");
    }
}
