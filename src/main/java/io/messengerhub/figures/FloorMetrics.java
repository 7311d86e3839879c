package io.messengerhub.figures;

import static java.util.stream.Collectors.toMap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.messengerhub.figures.DailyFigures.Line;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The floor on /actuator/prometheus, for Grafana (deploy/grafana/messenger-hub-floor.json): conversations waiting
 * and the longest wait per queue, agents per presence, and today's {@link DailyFigures} per queue. Read from the hub's
 * database by the {@code floor-metrics} route, so every hub reports the same values: take their {@code max}, not
 * their sum.
 */
@Component("floorMetrics")
public class FloorMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(FloorMetrics.class);

    private record Waiting(String queue, long count, Instant oldest) {
    }

    private record Presence(String presence, long count) {
    }

    /**
     * One metric with a row per value of one tag. A refresh replaces the values its rows read and adds or removes only
     * the rows whose tag value came or went: re-registering every row instead (MultiGauge's overwrite) removes a
     * series for a moment, and a scrape in that moment misses it.
     */
    private static final class Family {
        private final MultiGauge gauge;
        private final String tag;
        private volatile Map<String, Double> values = Map.of();

        Family(MultiGauge gauge, String tag) {
            this.gauge = gauge;
            this.tag = tag;
        }

        void show(Map<String, Double> next) {
            values = next;
            gauge.register(next.keySet().stream()
                    .<MultiGauge.Row<?>>map(key -> MultiGauge.Row.of(Tags.of(tag, key), this,
                            family -> family.values.getOrDefault(key, Double.NaN)))
                    .toList(), false);
        }
    }

    private final JdbcClient jdbc;
    private final DailyFigures figures;
    private final Clock clock;
    private final Family waiting;
    private final Family longestWait;
    private final Family agents;
    private final List<Today> today = new ArrayList<>();

    public FloorMetrics(JdbcClient jdbc, DailyFigures figures, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.figures = figures;
        this.clock = clock;
        this.waiting = new Family(MultiGauge.builder("hub.floor.waiting")
                .description("Open conversations waiting for an agent, per queue").register(registry), "queue");
        this.longestWait = new Family(MultiGauge.builder("hub.floor.longest.wait").baseUnit("seconds")
                .description("How long the longest-waiting Open conversation of the queue has waited").register(registry), "queue");
        this.agents = new Family(MultiGauge.builder("hub.floor.agents").description("Agents per chosen presence")
                .register(registry), "presence");
        today("hub.floor.today.conversations", "Conversations opened today, per queue", Line::conversations, registry);
        today("hub.floor.today.abandoned", "Conversations opened today and closed before an agent took them", Line::abandoned, registry);
        today("hub.floor.today.served.in.window", "Conversations opened today answered by an agent within 24 hours",
                Line::servedInWindow, registry);
        today("hub.floor.today.first.response.seconds", "Average first response today, per queue",
                line -> line.averageFirstResponseSeconds() == null ? Double.NaN : line.averageFirstResponseSeconds(), registry);
        today("hub.floor.today.handling.seconds", "Average handling time of today's closed conversations, per queue",
                line -> line.averageHandlingSeconds() == null ? Double.NaN : line.averageHandlingSeconds(), registry);
    }

    /** One of today's figures per queue: the metric and the value of a queue's line it shows. */
    private record Today(Family family, ToDoubleFunction<Line> value) {
    }

    private void today(String name, String description, ToDoubleFunction<Line> value, MeterRegistry registry) {
        today.add(new Today(new Family(MultiGauge.builder(name).description(description).register(registry), "queue"), value));
    }

    /** Reads the floor again; a database that does not answer leaves the last values and one WARN line. */
    public void refresh() {
        try {
            Instant now = clock.instant();
            List<Waiting> open = jdbc.sql("""
                    select queue, count(*) as waiting, min(coalesce(state_changed_at, opened_at)) as oldest
                    from conversation where state = 'OPEN' group by queue""")
                    .query((rs, n) -> new Waiting(rs.getString("queue"), rs.getLong("waiting"),
                            rs.getObject("oldest", OffsetDateTime.class).toInstant()))
                    .list();
            waiting.show(open.stream().collect(toMap(Waiting::queue, w -> (double) w.count())));
            longestWait.show(open.stream().collect(toMap(Waiting::queue,
                    w -> (double) Math.max(0, Duration.between(w.oldest(), now).toSeconds()))));
            List<Presence> presences = jdbc.sql("select presence, count(*) as agents from agent_state group by presence")
                    .query((rs, n) -> new Presence(rs.getString("presence"), rs.getLong("agents"))).list();
            agents.show(presences.stream().collect(toMap(Presence::presence, p -> (double) p.count())));
            List<Line> queues = figures.day(figures.today()).queues();
            for (Today figure : today) {
                figure.family().show(queues.stream().collect(toMap(Line::name, figure.value()::applyAsDouble)));
            }
        } catch (RuntimeException databaseAway) {
            LOG.warn("Floor metrics not renewed, the database does not answer: {}", databaseAway.getMessage());
        }
    }
}
