package io.messengerhub.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The transactional outbox: a decision to send (an offer) is written in the same database transaction as the
 * state that caused it, and sent to the broker after the commit. If the hub stops in between, the
 * outbox-sweeper route sends it later; Artemis' duplicate detection makes a repeated send harmless.
 */
@Component("outbox")
public class Outbox {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration staleAfter;
    private final int sweepBatch;

    public Outbox(JdbcClient jdbc, ObjectMapper json, Clock clock, @Value("${hub.outbox.stale-after}") Duration staleAfter,
                  @Value("${hub.outbox.sweep-batch}") int sweepBatch) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.sweepBatch = sweepBatch;
    }

    /** Adds a message written as JSON with the application's ObjectMapper; call inside the deciding transaction. */
    public OutboxMessage addJson(String destination, String dedupId, Object message) {
        try {
            return add(destination, dedupId, json.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + message.getClass().getSimpleName() + " for " + destination, e);
        }
    }

    /** Adds a message; call inside the transaction that decided it. */
    public OutboxMessage add(String destination, String dedupId, String body) {
        return add(destination, dedupId, body, null);
    }

    /** Adds a message for a dead-letter queue, with the reason it goes there. */
    public OutboxMessage deadLetter(String destination, String dedupId, String body, String reason) {
        return add(destination, dedupId, body, reason);
    }

    private OutboxMessage add(String destination, String dedupId, String body, String deadLetterReason) {
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into outbox (destination, dedup_id, body, created_at, dead_letter_reason)
                values (:destination, :dedupId, :body, :createdAt, :reason)""")
                .param("destination", destination)
                .param("dedupId", dedupId)
                .param("body", body)
                .param("createdAt", OffsetDateTime.now(clock))
                .param("reason", deadLetterReason)
                .update(key, "id");
        return new OutboxMessage(key.getKey().longValue(), destination, dedupId, body, deadLetterReason);
    }

    /** Messages that have waited longer than hub.outbox.stale-after: their eager send failed or the hub stopped. */
    public List<OutboxMessage> stale() {
        Instant before = clock.instant().minus(staleAfter);
        return jdbc.sql("""
                select id, destination, dedup_id, body, dead_letter_reason from outbox
                where created_at < :before order by id limit :limit""")
                .param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", sweepBatch)
                .query((rs, row) -> new OutboxMessage(rs.getLong("id"), rs.getString("destination"),
                        rs.getString("dedup_id"), rs.getString("body"), rs.getString("dead_letter_reason")))
                .list();
    }

    /** The broker has these for good ({@link OutboxRelay#send}): forget them, in one statement. */
    public void sent(List<Long> ids) {
        if (ids != null && !ids.isEmpty()) {
            jdbc.sql("delete from outbox where id in (:ids)").param("ids", ids).update();
        }
    }
}
