package io.messengerhub.hours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.messengerhub.hours.OperatingHoursProperties.Action;
import io.messengerhub.hours.OperatingHoursProperties.Answer;
import io.messengerhub.hours.OperatingHoursProperties.Overflow;
import io.messengerhub.hours.OperatingHoursProperties.Queue;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/** config/operating-hours.yaml as the hub reads it: the shipped file, the answer's language, and mistakes refused. */
class OperatingHoursSettingsTest {

    private static final String GERMAN_PAGE = "100000000000002";

    private final Answer closed = new Answer(
            Map.of("default", "We are closed.", "de", "Wir haben geschlossen.", "de-AT", "Wir haben zu."),
            Map.of(GERMAN_PAGE, Map.of("default", "Der Shop hat geschlossen.", "en", "The German shop is closed.")));

    @Test
    void shouldLoadTheShippedFileAndOpenItsQueuesAsItSays() throws IOException {
        OperatingHoursProperties shipped = bind("config/operating-hours.yaml");

        OperatingHours hours = new OperatingHours(shipped);
        assertThat(hours.isOpen("german", Instant.parse("2026-12-01T09:00:00Z"))).as("Tuesday 10:00 in Berlin").isTrue();
        assertThat(hours.isOpen("german", Instant.parse("2026-12-01T22:00:00Z"))).as("Tuesday 23:00 in Berlin").isFalse();
        assertThat(hours.isOpen("german", Instant.parse("2026-12-25T09:00:00Z"))).as("Christmas Day").isFalse();
        assertThat(hours.isOpen("general", Instant.parse("2026-12-25T03:00:00Z"))).as("a queue without hours").isTrue();
        assertThat(hours.queue("billing").orElseThrow().outsideHours())
                .isEqualTo(new Overflow("billing-closed", Action.TRANSFER, "general"));
        assertThat(hours.answer("closed").textFor(GERMAN_PAGE, "de_DE")).startsWith("Danke");
    }

    @Test
    void shouldAnswerWithThePagesOwnTextsFirstThenTheGeneralOnesEachByLocaleLanguageThenDefault() {
        assertThat(closed.textFor("1", "de_AT")).isEqualTo("Wir haben zu.");
        assertThat(closed.textFor("1", "de_DE")).isEqualTo("Wir haben geschlossen.");
        assertThat(closed.textFor("1", "fr_FR")).isEqualTo("We are closed.");
        assertThat(closed.textFor("1", null)).as("locale unknown").isEqualTo("We are closed.");
        assertThat(closed.textFor(GERMAN_PAGE, "en_GB")).isEqualTo("The German shop is closed.");
        assertThat(closed.textFor(GERMAN_PAGE, "de_AT")).as("the Page's own default before the general German")
                .isEqualTo("Der Shop hat geschlossen.");
    }

    @Test
    void shouldRefuseSettingsThatCannotWorkNamingWhatIsWrong() {
        Overflow closing = new Overflow("closed", Action.WAIT, null);
        assertThatThrownBy(() -> settings(queue("german", List.of(), new Overflow("closd", Action.WAIT, null))))
                .hasMessageContaining("queue 'german'").hasMessageContaining("answer 'closd' is not under answers");
        assertThatThrownBy(() -> settings(queue("german", List.of("bavaria"), closing)))
                .hasMessageContaining("holiday list 'bavaria' is not under holiday-lists");
        assertThatThrownBy(() -> settings(queue("german", List.of(), new Overflow(null, Action.TRANSFER, "german"))))
                .hasMessageContaining("transfer-to names the queue itself");
        assertThatThrownBy(() -> settings(queue("german", List.of(), closing), queue("german", List.of(), closing)))
                .hasMessageContaining("lists queue 'german' more than once");
        assertThatThrownBy(() -> new Overflow("closed", Action.TRANSFER, null)).hasMessageContaining("names no valid transfer-to");
        assertThatThrownBy(() -> new Overflow("closed", Action.WAIT, "general")).hasMessageContaining("says wait but names transfer-to");
        assertThatThrownBy(() -> new Answer(Map.of("de", "Geschlossen."), Map.of())).hasMessageContaining("no default text");
        assertThatThrownBy(() -> new Answer(Map.of("default", "x".repeat(2001)), Map.of())).hasMessageContaining("2000 characters");
    }

    private OperatingHoursProperties settings(Queue... queues) {
        return new OperatingHoursProperties(Map.of("germany", List.of("2026-12-25")), Map.of("closed", closed), List.of(queues));
    }

    private static Queue queue(String name, List<String> holidayLists, Overflow outsideHours) {
        return new Queue(name, "Europe/Berlin", List.of("MON-FRI 08:00-18:00"), List.of(), holidayLists, outsideHours, null);
    }

    private static OperatingHoursProperties bind(String file) throws IOException {
        var environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load(file, new FileSystemResource(file))
                .forEach(source -> environment.getPropertySources().addFirst(source));
        return new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("hub.operating-hours", OperatingHoursProperties.class);
    }
}
