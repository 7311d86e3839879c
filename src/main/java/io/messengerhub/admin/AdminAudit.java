package io.messengerhub.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;

import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.api.ApiException;
import io.messengerhub.api.PrintableText;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every admin action, in table admin_audit and in the log: who, when, what, on what, and whether it was done or
 * refused and why. An action and its audit line commit together; a refused action leaves its line and nothing else.
 */
@Component("adminAudit")
public class AdminAudit {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
    private static final int MAX_DETAIL = 4000;
    private static final int MAX_OUTCOME = 512;

    /** One line of the audit. */
    public record Entry(long id, OffsetDateTime at, String actor, String action, String target, String detail, String outcome) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final TransactionTemplate separately;

    public AdminAudit(JdbcClient jdbc, Clock clock, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.transaction = transaction;
        this.separately = new TransactionTemplate(transaction.getTransactionManager());
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Does the action in a transaction with its audit line ("done"); a refusal ({@link ApiException}) is rolled
     * back and audited on its own with its reason, then thrown on.
     */
    public <T> T audited(String actor, String action, String target, String detail, Supplier<T> work) {
        try {
            return transaction.execute(status -> {
                T result = work.get();
                write(actor, action, target, detail, "done");
                return result;
            });
        } catch (ApiException refused) {
            separately.executeWithoutResult(status -> write(actor, action, target, detail,
                    "refused (" + refused.status() + "): " + refused.getMessage()));
            throw refused;
        }
    }

    /** An action with nothing to roll back (reading what people may not read unseen, a broker operation). */
    public void record(String actor, String action, String target, String detail, String outcome) {
        separately.executeWithoutResult(status -> write(actor, action, target, detail, outcome));
    }

    /** GET /admin/audit: from and to as ISO-8601 instants (400 otherwise). */
    public List<Entry> query(@Header("from") String from, @Header("to") String to, @Header("actor") String actor,
                             @Header("limit") Integer limit) {
        return entries(instant("from", from), instant("to", to), actor == null || actor.isBlank() ? null : actor,
                limit == null ? 100 : limit);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ApiBadRequestException(name + ": an ISO-8601 instant such as 2026-11-30T08:00:00Z");
        }
    }

    /** The newest lines first, between from and to (either may be null), by one actor when given. */
    public List<Entry> entries(Instant from, Instant to, String actor, int limit) {
        var query = jdbc.sql("select id, at, actor, action, target, detail, outcome from admin_audit where at >= :from and at < :to"
                        + (actor == null ? "" : " and actor = :actor") + " order by id desc limit :limit")
                .param("from", (from == null ? Instant.EPOCH : from).atOffset(ZoneOffset.UTC))
                .param("to", (to == null ? Instant.parse("9999-01-01T00:00:00Z") : to).atOffset(ZoneOffset.UTC))
                .param("limit", Math.max(1, Math.min(limit, 1000)));
        if (actor != null) {
            query = query.param("actor", actor);
        }
        return query
                .query((row, number) -> new Entry(row.getLong("id"), row.getObject("at", OffsetDateTime.class),
                        row.getString("actor"), row.getString("action"), row.getString("target"), row.getString("detail"),
                        row.getString("outcome")))
                .list();
    }

    private void write(String actor, String action, String target, String detail, String outcome) {
        // What an admin typed may hold line breaks that would forge log lines.
        LOG.info("Admin {}: {} {} {} -> {}", actor, action, PrintableText.of(target), PrintableText.of(detail),
                PrintableText.of(outcome));
        jdbc.sql("""
                insert into admin_audit (at, actor, action, target, detail, outcome)
                values (:at, :actor, :action, :target, :detail, :outcome)""")
                .param("at", OffsetDateTime.now(clock))
                .param("actor", actor)
                .param("action", action)
                .param("target", cut(target, 512))
                .param("detail", cut(detail, MAX_DETAIL))
                .param("outcome", cut(outcome, MAX_OUTCOME))
                .update();
    }

    /** At most max characters; NUL, which PostgreSQL does not store in text, as U+FFFD. */
    private static String cut(String text, int max) {
        String storable = text == null ? null : text.replace('\u0000', '\uFFFD');
        return storable == null || storable.length() <= max ? storable : storable.substring(0, max - 1) + "…";
    }
}
