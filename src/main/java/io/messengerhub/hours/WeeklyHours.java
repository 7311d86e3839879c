package io.messengerhub.hours;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When one queue is open: opening times per weekday in the queue's time zone, and dates (holidays) that are closed
 * all day or open only at times of their own. Opening times are half open: {@code 08:00-18:00} is open at 08:00 and
 * closed at 18:00.
 */
public final class WeeklyHours {

    private static final Pattern WEEKLY = Pattern.compile("\\s*([A-Za-z,\\- ]+?)\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})\\s*");
    private static final Pattern DAY = Pattern.compile("\\s*(\\d{4}-\\d{2}-\\d{2})(?:\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2}))?\\s*");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private static final int END_OF_DAY = 24 * 3600;

    private final ZoneId zone;
    private final Map<DayOfWeek, List<Span>> week;
    private final Map<LocalDate, List<Span>> dates;

    private WeeklyHours(ZoneId zone, Map<DayOfWeek, List<Span>> week, Map<LocalDate, List<Span>> dates) {
        this.zone = zone;
        this.week = week;
        this.dates = dates;
    }

    /** From seconds of the day {@code from} (included) to {@code to} (excluded, at most 24:00). */
    private record Span(int from, int to) {
        boolean contains(int secondOfDay) {
            return secondOfDay >= from && secondOfDay < to;
        }
    }

    /**
     * Reads a queue's settings; an error names the queue and the entry, for the operator.
     *
     * @param open     entries such as {@code MON-FRI 08:00-18:00}, {@code SAT,SUN 10:00-14:00}
     * @param holidays entries such as {@code 2026-12-25} (closed all day) or {@code 2026-12-24 08:00-12:00} (open
     *                 only then that day); several entries for one date add up
     */
    public static WeeklyHours parse(String queue, String timeZone, List<String> open, List<String> holidays) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone == null ? "" : timeZone.strip());
        } catch (DateTimeException e) {
            throw invalid(queue, "time-zone '" + timeZone + "' is not a time zone; use a region such as Europe/Berlin");
        }
        Map<DayOfWeek, List<Span>> week = new EnumMap<>(DayOfWeek.class);
        for (String entry : open) {
            Matcher matcher = WEEKLY.matcher(entry == null ? "" : entry);
            if (!matcher.matches()) {
                throw invalid(queue, "open entry '" + entry + "' is not like 'MON-FRI 08:00-18:00'");
            }
            Span span = span(queue, entry, matcher.group(2), matcher.group(3));
            for (DayOfWeek day : days(queue, entry, matcher.group(1))) {
                week.computeIfAbsent(day, d -> new ArrayList<>()).add(span);
            }
        }
        Map<LocalDate, List<Span>> dates = new HashMap<>();
        for (String entry : holidays) {
            Matcher matcher = DAY.matcher(entry == null ? "" : entry);
            if (!matcher.matches()) {
                throw invalid(queue, "holiday '" + entry + "' is not like '2026-12-25' or '2026-12-24 08:00-12:00'");
            }
            LocalDate date;
            try {
                date = LocalDate.parse(matcher.group(1));
            } catch (DateTimeParseException e) {
                throw invalid(queue, "holiday '" + entry + "' is not a date");
            }
            List<Span> spans = dates.computeIfAbsent(date, d -> new ArrayList<>());
            if (matcher.group(2) != null) {
                spans.add(span(queue, entry, matcher.group(2), matcher.group(3)));
            }
        }
        return new WeeklyHours(zone, week, dates);
    }

    /** Whether the queue is open at this moment. */
    public boolean openAt(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        List<Span> spans = dates.getOrDefault(local.toLocalDate(), week.getOrDefault(local.getDayOfWeek(), List.of()));
        int second = local.toLocalTime().toSecondOfDay();
        return spans.stream().anyMatch(span -> span.contains(second));
    }

    private static List<DayOfWeek> days(String queue, String entry, String text) {
        List<DayOfWeek> days = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] range = part.strip().split("\\s*-\\s*");
            if (range.length > 2 || range[0].isEmpty()) {
                throw invalid(queue, "open entry '" + entry + "': '" + part.strip() + "' is not a day or a range of days");
            }
            DayOfWeek first = day(queue, entry, range[0]);
            DayOfWeek last = range.length == 2 ? day(queue, entry, range[1]) : first;
            // A range may go round the weekend: FRI-MON is Friday to Monday.
            for (DayOfWeek day = first; ; day = day.plus(1)) {
                days.add(day);
                if (day == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String queue, String entry, String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().substring(0, 3).equals(name.strip().toUpperCase(Locale.ROOT))) {
                return day;
            }
        }
        throw invalid(queue, "open entry '" + entry + "': '" + name + "' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
    }

    private static Span span(String queue, String entry, String from, String to) {
        int start = secondOfDay(queue, entry, from);
        int end = secondOfDay(queue, entry, to);
        if (start >= END_OF_DAY || end <= start) {
            throw invalid(queue, "'" + entry + "': the time it closes must be after the time it opens, on the same day"
                    + " (until midnight is 24:00; past midnight, add an entry for the next day from 00:00)");
        }
        return new Span(start, end);
    }

    private static int secondOfDay(String queue, String entry, String time) {
        Matcher matcher = TIME.matcher(time);
        int hours = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
        int minutes = matcher.matches() ? Integer.parseInt(matcher.group(2)) : -1;
        if (hours < 0 || minutes < 0 || minutes > 59 || hours > 24 || hours == 24 && minutes != 0) {
            throw invalid(queue, "'" + entry + "': '" + time + "' is not a time between 00:00 and 24:00");
        }
        return hours * 3600 + minutes * 60;
    }

    private static IllegalArgumentException invalid(String queue, String problem) {
        return new IllegalArgumentException("queue '" + queue + "' in config/operating-hours.yaml: " + problem);
    }
}
