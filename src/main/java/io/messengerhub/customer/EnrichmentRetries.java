package io.messengerhub.customer;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Conversations whose customer data is incomplete, and when to look them up again (doubling the wait). */
@Component
public class EnrichmentRetries {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final CrmProperties settings;

    public EnrichmentRetries(JdbcClient jdbc, Clock clock, CrmProperties settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** A conversation due for another lookup. */
    public record Due(String conversationId, int attempts) {
    }

    public void schedule(String conversationId, String why) {
        jdbc.sql("insert into enrichment_retry (conversation_id, attempts, next_attempt_at, last_error) values (:id, 0, :at, :why)")
                .param("id", conversationId)
                .param("at", OffsetDateTime.now(clock).plus(settings.retryInitialDelay()))
                .param("why", abbreviate(why))
                .update();
    }

    public List<Due> due(int limit) {
        return jdbc.sql("select conversation_id, attempts from enrichment_retry where next_attempt_at <= :now order by next_attempt_at limit :limit")
                .param("now", OffsetDateTime.now(clock)).param("limit", limit)
                .query((rs, row) -> new Due(rs.getString("conversation_id"), rs.getInt("attempts")))
                .list();
    }

    /** Counts a failed attempt; returns false when the attempts are used up (the row is then removed). */
    public boolean failedAgain(Due due, String why) {
        int attempts = due.attempts() + 1;
        if (attempts >= settings.retryMaxAttempts()) {
            done(due.conversationId());
            return false;
        }
        Duration wait = settings.retryInitialDelay().multipliedBy(1L << Math.min(attempts, 16));
        jdbc.sql("update enrichment_retry set attempts = :attempts, next_attempt_at = :at, last_error = :why where conversation_id = :id")
                .param("attempts", attempts).param("at", OffsetDateTime.now(clock).plus(wait))
                .param("why", abbreviate(why)).param("id", due.conversationId())
                .update();
        return true;
    }

    public void done(String conversationId) {
        jdbc.sql("delete from enrichment_retry where conversation_id = :id").param("id", conversationId).update();
    }

    private static String abbreviate(String why) {
        return why == null ? null : why.length() > 500 ? why.substring(0, 500) : why;
    }
}
