package io.messengerhub.overflow;

import java.time.Instant;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The overflow decision taken for a conversation, at most one, in the hub's database (table conversation_overflow). */
@Repository
public class OverflowDecisions {

    /** Why a conversation could not be offered right away. */
    public enum Reason { OUTSIDE_HOURS, NOBODY_AVAILABLE }

    /**
     * One decision.
     *
     * @param answer       the automatic answer's name, null for none
     * @param answerQueued whether it was queued for the Send API (not when the Page has no token, is blocked, or the
     *                     24 hours passed)
     */
    public record Decision(String conversationId, Reason reason, String queue, String action, String transferredTo,
                           String answer, boolean answerQueued, Instant decidedAt) {
    }

    private final JdbcClient jdbc;

    public OverflowDecisions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean taken(String conversationId) {
        return jdbc.sql("select count(*) from conversation_overflow where conversation_id = :id").param("id", conversationId)
                .query(Integer.class).single() > 0;
    }

    /** Records it; the primary key refuses a second decision for the conversation (DuplicateKeyException). */
    public void record(Decision decision) {
        jdbc.sql("""
                insert into conversation_overflow (conversation_id, reason, queue, action, transferred_to, answer, answer_queued, decided_at)
                values (:conversation, :reason, :queue, :action, :transferredTo, :answer, :answerQueued, :decidedAt)""")
                .param("conversation", decision.conversationId()).param("reason", decision.reason().name())
                .param("queue", decision.queue()).param("action", decision.action())
                .param("transferredTo", decision.transferredTo()).param("answer", decision.answer())
                .param("answerQueued", decision.answerQueued()).param("decidedAt", decision.decidedAt().atOffset(ZoneOffset.UTC))
                .update();
    }
}
