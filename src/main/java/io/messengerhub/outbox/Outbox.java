package io.messengerhub.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox: a message decided inside a database transaction is written in that transaction, and
 * sent to the broker once it has committed (by the {@code send-committed} route, on the thread that committed). If
 * the hub stops in between, or the send fails, the {@code outbox-sweeper} route sends it later; Artemis' duplicate
 * detection makes a repeated send harmless. What was sent is deleted in groups ({@link #forgetSent}). Written only
 * through the {@code outbox:} endpoint of the event routes ({@link OutboxComponent}).
 */
@Component("outboxStore")
public class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration staleAfter;
    private final int sweepBatch;
    private final ProducerTemplate routes;
    private final TransactionTemplate separately;
    /** Ids of messages the broker has for good whose rows are still there: deleted together by {@link #forgetSent}. */
    private final Set<Long> sentNotForgotten = ConcurrentHashMap.newKeySet();

    public Outbox(JdbcClient jdbc, ObjectMapper json, Clock clock, @Value("${hub.outbox.stale-after}") Duration staleAfter,
                  @Value("${hub.outbox.sweep-batch}") int sweepBatch, @Lazy ProducerTemplate routes, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.sweepBatch = sweepBatch;
        this.routes = routes;
        this.separately = new TransactionTemplate(transaction.getTransactionManager());
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Writes a message for the destination (a queue, or {@code topic:<address>}); {@code dedupId} null for a fresh one
     * ({@code <type>:<random UUID>}, the type being the message's {@code type} field when it starts with one);
     * {@code deadLetterReason} for a message to a dead-letter queue, else null. Sent once the current transaction has
     * committed, or at once when there is none.
     */
    void write(String destination, String dedupId, Object body, String deadLetterReason) {
        String text = body instanceof String string ? string : asJson(body, destination);
        var key = new GeneratedKeyHolder();
        String id = dedupId != null ? dedupId : typeOf(text) + ":" + UUID.randomUUID();
        jdbc.sql("""
                insert into outbox (destination, dedup_id, body, created_at, dead_letter_reason)
                values (:destination, :dedupId, :body, :createdAt, :reason)""")
                .param("destination", destination)
                .param("dedupId", id)
                .param("body", text)
                .param("createdAt", OffsetDateTime.now(clock))
                .param("reason", deadLetterReason)
                .update(key, "id");
        var message = new OutboxMessage(key.getKey().longValue(), destination, id, text, deadLetterReason);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            sendAfterCommit().messages.add(message);
        } else {
            send(List.of(message));
        }
    }

    /** The {@code type} a message written by this hub starts with (docs/asyncapi.yaml), else "message". */
    private static String typeOf(String json) {
        String start = "{\"type\":\"";
        int end = json.startsWith(start) ? json.indexOf('"', start.length()) : -1;
        return end > start.length() ? json.substring(start.length(), end) : "message";
    }

    private String asJson(Object body, String destination) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + (body == null ? "null" : body.getClass().getSimpleName())
                    + " for " + destination, e);
        }
    }

    /** The messages of this transaction so far: one send, one broker transaction, for all of them. */
    private SendAfterCommit sendAfterCommit() {
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof SendAfterCommit pending) {
                return pending;
            }
        }
        var pending = new SendAfterCommit();
        TransactionSynchronizationManager.registerSynchronization(pending);
        return pending;
    }

    private final class SendAfterCommit implements TransactionSynchronization {

        private final List<OutboxMessage> messages = new ArrayList<>();

        @Override
        public void afterCommit() {
            send(messages);
        }
    }

    /** The send-committed route never throws: what it could not send stays for the sweeper. */
    private void send(List<OutboxMessage> messages) {
        routes.sendBody("direct:send-committed", List.copyOf(messages));
    }

    /**
     * Messages that have waited longer than hub.outbox.stale-after: their eager send failed or the hub stopped. Not
     * those this hub sent and has yet to forget.
     */
    public List<OutboxMessage> stale() {
        Instant before = clock.instant().minus(staleAfter);
        return jdbc.sql("""
                select id, destination, dedup_id, body, dead_letter_reason from outbox
                where created_at < :before order by id limit :limit""")
                .param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", sweepBatch)
                .query((rs, row) -> new OutboxMessage(rs.getLong("id"), rs.getString("destination"),
                        rs.getString("dedup_id"), rs.getString("body"), rs.getString("dead_letter_reason")))
                .list().stream().filter(message -> !sentNotForgotten.contains(message.id())).toList();
    }

    /**
     * The broker has these for good ({@link OutboxRelay#send}): they are forgotten with the others sent meanwhile by
     * the next {@link #forgetSent}, so that many sends share one commit. Until then the sweeper leaves them alone; if the
     * hub stops first, the sweeper of the next start sends them again and the broker drops the copies by their
     * duplicate ids, as after any stop between send and delete.
     */
    public void sent(List<Long> ids) {
        if (ids != null) {
            sentNotForgotten.addAll(ids);
        }
    }

    /**
     * Deletes the rows of what was sent, in transactions of their own of at most hub.outbox.sweep-batch rows (route
     * outbox-forget, every hub.outbox.forget-interval). What the database does not take stays for the next time.
     */
    public void forgetSent() {
        var ids = new ArrayList<>(sentNotForgotten);
        for (int from = 0; from < ids.size(); from += sweepBatch) {
            List<Long> batch = ids.subList(from, Math.min(ids.size(), from + sweepBatch));
            separately.executeWithoutResult(status -> jdbc.sql("delete from outbox where id in (:ids)").param("ids", batch).update());
            batch.forEach(sentNotForgotten::remove);
        }
    }

    /** A stop forgets what it can; what it cannot is sent again after the start, and dropped by the broker. */
    @PreDestroy
    void forgetBeforeStopping() {
        try {
            forgetSent();
        } catch (RuntimeException databaseAway) {
            LOG.info("{} sent outbox messages not forgotten before the stop ({}); the next start sends them again and the"
                    + " broker drops the copies", sentNotForgotten.size(), databaseAway.getMessage());
        }
    }
}
