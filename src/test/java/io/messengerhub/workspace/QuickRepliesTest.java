package io.messengerhub.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QuickRepliesTest {

    @Test
    void shouldFillInEveryPlaceholder() {
        assertThat(QuickReplies.render("Hallo {firstName} {lastName}, hier ist {agentName} von {pageName}.",
                Map.of("firstName", "Jürgen", "lastName", "Groß", "agentName", "Anna", "pageName", "Demo Shop")))
                .isEqualTo("Hallo Jürgen Groß, hier ist Anna von Demo Shop.");
    }

    @Test
    void shouldLeaveNoGapWhereAValueIsUnknown() {
        var values = new HashMap<String, String>();
        values.put("firstName", null);
        values.put("agentName", "Ben");
        assertThat(QuickReplies.render("Thank you, {firstName}. Ben here: {agentName}!", values))
                .isEqualTo("Thank you,. Ben here: Ben!");
        assertThat(QuickReplies.render("Hello {firstName}, hi", values)).isEqualTo("Hello, hi");
    }

    @Test
    void shouldNotTreatRegexCharactersInValuesSpecially() {
        assertThat(QuickReplies.render("{firstName}", Map.of("firstName", "$1 \\o/"))).isEqualTo("$1 \\o/");
        assertThat(QuickReplies.render("{unknown} stays", Map.of())).isEqualTo("{unknown} stays");
    }
}
