package io.messengerhub.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The consent settings: off by default, Messenger's title limit checked at start, a Page's own texts. */
class ConsentSettingsTest {

    @Test
    void shouldAskNoPageByDefault() {
        var settings = new Disclosures.Settings("This conversation may be recorded.", null, null);

        assertThat(settings.consent().asks("100000000000001")).isFalse();
        assertThat(settings.consent().agreeFor("100000000000001")).isEqualTo("I agree");
        assertThat(settings.consent().declinedMaxAge()).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldRefuseAQuickReplyTitleLongerThanMessengerAllows() {
        assertThatThrownBy(() -> new Disclosures.ConsentSettings(List.of("1"), "I agree", "No thanks", null,
                Map.of("2", "Nein, ich möchte das wirklich nicht"), null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20 characters");
    }

    @Test
    void shouldUseAPagesOwnTextsAndVersionWhatTheCustomerIsShown() {
        var consent = new Disclosures.ConsentSettings(List.of(" 2 "), null, null, Map.of("2", "Einverstanden"),
                Map.of("2", "Nein, danke"), "Understood.", Map.of("2", "Verstanden."), Duration.ofHours(1));

        assertThat(consent.asks("2")).isTrue();
        assertThat(consent.agreeFor("2")).isEqualTo("Einverstanden");
        assertThat(consent.declineFor("1")).isEqualTo("No thanks");
        assertThat(consent.declinedAnswerFor("2")).isEqualTo("Verstanden.");
        var question = Disclosures.Question.of("Aufgezeichnet.", "Einverstanden", "Nein, danke");
        assertThat(question.version()).matches("[0-9a-f]{16}")
                .isEqualTo(Disclosures.Question.of("Aufgezeichnet.", "Einverstanden", "Nein, danke").version())
                .isNotEqualTo(Disclosures.Question.of("Aufgezeichnet!", "Einverstanden", "Nein, danke").version());
    }
}
