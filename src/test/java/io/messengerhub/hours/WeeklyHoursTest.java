package io.messengerhub.hours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A queue's opening times: weekdays, its time zone with summer time, holidays closed or with hours of their own. */
class WeeklyHoursTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private final WeeklyHours hours = WeeklyHours.parse("german", "Europe/Berlin",
            List.of("MON-FRI 08:00-18:00", "SAT 09:00-13:00", "SUN 20:00-24:00"),
            List.of("2026-12-25", "2026-12-24 09:00-12:00", "2026-12-27 10:00-11:00"));

    @Test
    void shouldBeOpenFromTheOpeningTimeUntilJustBeforeTheClosingTimeInTheQueuesTimeZone() {
        // Tuesday 1 December 2026, winter time (UTC+1).
        assertThat(hours.openAt(berlin("2026-12-01T07:59:59"))).isFalse();
        assertThat(hours.openAt(berlin("2026-12-01T08:00"))).isTrue();
        assertThat(hours.openAt(berlin("2026-12-01T17:59:59"))).isTrue();
        assertThat(hours.openAt(berlin("2026-12-01T18:00"))).isFalse();
        assertThat(hours.openAt(Instant.parse("2026-12-01T07:30:00Z"))).as("08:30 in Berlin").isTrue();
    }

    @Test
    void shouldFollowSummerTime() {
        // Tuesday 7 July 2026, summer time (UTC+2): 08:00 in Berlin is 06:00 UTC.
        assertThat(hours.openAt(Instant.parse("2026-07-07T05:59:00Z"))).isFalse();
        assertThat(hours.openAt(Instant.parse("2026-07-07T06:00:00Z"))).isTrue();
    }

    @Test
    void shouldKeepEachDaysOwnTimesAndCloseDaysWithoutAny() {
        assertThat(hours.openAt(berlin("2026-12-05T12:59"))).as("Saturday").isTrue();
        assertThat(hours.openAt(berlin("2026-12-05T14:00"))).as("Saturday afternoon").isFalse();
        assertThat(hours.openAt(berlin("2026-12-06T12:00"))).as("Sunday noon").isFalse();
        assertThat(hours.openAt(berlin("2026-12-06T23:59:59"))).as("Sunday until midnight").isTrue();
        assertThat(hours.openAt(berlin("2026-12-07T00:00"))).as("Monday midnight").isFalse();
    }

    @Test
    void shouldCloseOnAHolidayAndOpenOnlyAtItsOwnTimesOnADayWithHours() {
        assertThat(hours.openAt(berlin("2026-12-25T10:00"))).as("Friday, Christmas Day").isFalse();
        assertThat(hours.openAt(berlin("2026-12-24T11:59"))).as("Christmas Eve morning").isTrue();
        assertThat(hours.openAt(berlin("2026-12-24T12:00"))).as("Christmas Eve afternoon").isFalse();
        assertThat(hours.openAt(berlin("2026-12-27T10:30"))).as("a Sunday with hours of its own").isTrue();
        assertThat(hours.openAt(berlin("2026-12-27T20:30"))).as("not the Sunday's usual hours that day").isFalse();
    }

    @Test
    void shouldReadDayListsAndRangesRoundTheWeekend() {
        WeeklyHours weekend = WeeklyHours.parse("weekend", "UTC", List.of("FRI-MON 10:00-12:00", "wed, thu 10:00-11:00"), List.of());
        assertThat(weekend.openAt(Instant.parse("2026-12-06T10:00:00Z"))).as("Sunday").isTrue();
        assertThat(weekend.openAt(Instant.parse("2026-12-07T10:00:00Z"))).as("Monday").isTrue();
        assertThat(weekend.openAt(Instant.parse("2026-12-08T10:00:00Z"))).as("Tuesday").isFalse();
        assertThat(weekend.openAt(Instant.parse("2026-12-10T10:30:00Z"))).as("Thursday").isTrue();
        assertThat(weekend.openAt(Instant.parse("2026-12-10T11:30:00Z"))).as("Thursday late").isFalse();
    }

    @Test
    void shouldRefuseWhatAnOperatorMightMistypeNamingTheQueueAndTheEntry() {
        assertThatThrownBy(() -> WeeklyHours.parse("german", "Berlin", List.of(), List.of()))
                .hasMessageContaining("queue 'german' in config/operating-hours.yaml: time-zone 'Berlin'");
        assertThatThrownBy(() -> WeeklyHours.parse("german", "UTC", List.of("MO-FR 08:00-18:00"), List.of()))
                .hasMessageContaining("'MO' is not a day");
        assertThatThrownBy(() -> WeeklyHours.parse("german", "UTC", List.of("MON-FRI 22:00-02:00"), List.of()))
                .hasMessageContaining("the time it closes must be after the time it opens");
        assertThatThrownBy(() -> WeeklyHours.parse("german", "UTC", List.of("MON 08:00-25:00"), List.of()))
                .hasMessageContaining("'25:00' is not a time");
        assertThatThrownBy(() -> WeeklyHours.parse("german", "UTC", List.of("MON 8-18"), List.of()))
                .hasMessageContaining("'MON 8-18' is not like 'MON-FRI 08:00-18:00'");
        assertThatThrownBy(() -> WeeklyHours.parse("german", "UTC", List.of(), List.of("2026-02-30")))
                .hasMessageContaining("holiday '2026-02-30' is not a date");
        assertThatThrownBy(() -> WeeklyHours.parse("german", "UTC", List.of(), List.of("24.12.2026")))
                .hasMessageContaining("holiday '24.12.2026' is not like");
    }

    private static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }
}
