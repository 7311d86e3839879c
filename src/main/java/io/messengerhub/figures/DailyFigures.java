package io.messengerhub.figures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.messengerhub.api.ApiBadRequestException;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The floor's daily figures, per queue and per agent, for the conversations opened on one day (in
 * {@code hub.figures.time-zone}), from the hub's database: every hub gives the same answer.
 * <ul>
 *   <li>conversations: opened that day (per agent: first taken by that agent);</li>
 *   <li>abandoned: closed before any agent took them;</li>
 *   <li>first response: from opening (per agent: from being taken) to the first message an agent sent;</li>
 *   <li>handling: from first taken to closed, for the closed ones;</li>
 *   <li>served in the 24 h window: an agent's first message went out within 24 hours of the opening, when Messenger
 *   still allows a standard reply.</li>
 * </ul>
 * A conversation counts for the queue it is in now (after a transfer, the new one) and for the agent who took it first.
 */
@Component("dailyFigures")
public class DailyFigures {

    private static final Duration WINDOW = Duration.ofHours(24);

    /** One line of the figures; averages in seconds, null when nothing to average. */
    public record Line(LocalDate date, String scope, String name, int conversations, int abandoned, int closed,
                       int servedInWindow, Double averageFirstResponseSeconds, Double averageHandlingSeconds) {
    }

    /** The figures of one day. */
    public record Day(LocalDate date, String timeZone, List<Line> queues, List<Line> agents) {

        /** What a download of the day's CSV is called. */
        public String fileName() {
            return "figures-" + date + ".csv";
        }

        public List<Line> lines() {
            var all = new ArrayList<>(queues);
            all.addAll(agents);
            return all;
        }
    }

    private record Row(String queue, String agent, Instant openedAt, Instant assignedAt, Instant firstResponseAt,
                       Instant closedAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ZoneId zone;

    public DailyFigures(JdbcClient jdbc, Clock clock, @Value("${hub.figures.time-zone}") ZoneId zone) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.zone = zone;
    }

    /** GET /api/figures/daily: the day as ISO date (default today), 400 otherwise. */
    public Day daily(@Header("date") String date) {
        return day(date == null || date.isBlank() ? today() : parse(date.strip()));
    }

    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    public Day day(LocalDate date) {
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        List<Row> rows = jdbc.sql("""
                select queue, first_agent_id, opened_at, first_assigned_at, first_response_at, closed_at from conversation
                where opened_at >= :from and opened_at < :to""")
                .param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new Row(rs.getString("queue"), rs.getString("first_agent_id"),
                        instant(rs.getObject("opened_at", OffsetDateTime.class)),
                        instant(rs.getObject("first_assigned_at", OffsetDateTime.class)),
                        instant(rs.getObject("first_response_at", OffsetDateTime.class)),
                        instant(rs.getObject("closed_at", OffsetDateTime.class))))
                .list();
        List<Line> queues = lines(date, "queue", rows, Row::queue, Row::openedAt);
        List<Line> agents = lines(date, "agent", rows.stream().filter(row -> row.agent() != null).toList(), Row::agent,
                Row::assignedAt);
        return new Day(date, zone.getId(), queues, agents);
    }

    /** The day as CSV, one line per queue and per agent, for spreadsheets (RFC 4180 quoting). */
    public String csv(Day day) {
        var out = new StringBuilder("date,scope,name,conversations,abandoned,closed,served_in_24h,"
                + "avg_first_response_seconds,avg_handling_seconds\r\n");
        for (Line line : day.lines()) {
            out.append(line.date()).append(',').append(line.scope()).append(',').append(quoted(line.name())).append(',')
                    .append(line.conversations()).append(',').append(line.abandoned()).append(',').append(line.closed())
                    .append(',').append(line.servedInWindow()).append(',').append(seconds(line.averageFirstResponseSeconds()))
                    .append(',').append(seconds(line.averageHandlingSeconds())).append("\r\n");
        }
        return out.toString();
    }

    private static List<Line> lines(LocalDate date, String scope, List<Row> rows, Function<Row, String> key,
                                    Function<Row, Instant> responseFrom) {
        Map<String, List<Row>> byName = new TreeMap<>();
        rows.forEach(row -> byName.computeIfAbsent(key.apply(row), k -> new ArrayList<>()).add(row));
        var lines = new ArrayList<Line>();
        byName.forEach((name, of) -> {
            int abandoned = (int) of.stream().filter(r -> r.closedAt() != null && r.assignedAt() == null).count();
            int closed = (int) of.stream().filter(r -> r.closedAt() != null).count();
            int served = (int) of.stream().filter(r -> r.firstResponseAt() != null
                    && !r.firstResponseAt().isAfter(r.openedAt().plus(WINDOW))).count();
            lines.add(new Line(date, scope, name, of.size(), abandoned, closed, served,
                    average(of, r -> between(responseFrom.apply(r), r.firstResponseAt())),
                    average(of, r -> between(r.assignedAt(), r.closedAt()))));
        });
        return lines;
    }

    private static Double average(List<Row> rows, Function<Row, Duration> measure) {
        var measured = rows.stream().map(measure).filter(d -> d != null).toList();
        return measured.isEmpty() ? null
                : measured.stream().mapToLong(Duration::toMillis).average().orElseThrow() / 1000.0;
    }

    private static Duration between(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static String seconds(Double value) {
        return value == null ? "" : String.format(java.util.Locale.ROOT, "%.1f", value);
    }

    /** A name as a CSV field; a leading =, +, - or @ is defused so a spreadsheet does not run it as a formula. */
    private static String quoted(String name) {
        String safe = !name.isEmpty() && "=+-@".indexOf(name.charAt(0)) >= 0 ? "'" + name : name;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    private static LocalDate parse(String date) {
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new ApiBadRequestException("date: a day such as 2026-11-30");
        }
    }
}
