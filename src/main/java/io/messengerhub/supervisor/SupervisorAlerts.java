package io.messengerhub.supervisor;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.messengerhub.api.ApiConflictException;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.send.MessageFailed;
import io.messengerhub.send.PageReauthorisationRequired;
import io.messengerhub.sentiment.SentimentAlert;
import org.apache.camel.Variable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The alerts supervisors must see and acknowledge (table supervisor_alert): a conversation's mood fell to the alert
 * level, an agent's message was not sent, a Page's token was rejected. routes/events.camel.yaml raises them in the
 * transaction that decided the event; one supervisor's acknowledgement takes an alert off every supervisor's list.
 */
@Component("supervisorAlerts")
public class SupervisorAlerts {

    /** What an alert is about. */
    public enum Kind {
        SENTIMENT, MESSAGE_FAILED, PAGE_REAUTHORISATION;

        /** As the API and the page name it: sentiment, message-failed, page-reauthorisation. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** An alert with what the at-risk list shows of its conversation (null for a Page's alert). */
    public record Alert(long id, Kind kind, String conversationId, String pageId, String agentId, String detail,
                        Instant raisedAt, String acknowledgedBy, Instant acknowledgedAt, String queue, String state) {
    }

    private static final int DETAIL_LENGTH = 1000;
    private static final String COLUMNS = "a.id, a.kind, a.conversation_id, a.page_id, a.agent_id, a.detail, a.raised_at,"
            + " a.acknowledged_by, a.acknowledged_at, c.queue, c.state";

    private final JdbcClient jdbc;
    private final Clock clock;

    public SupervisorAlerts(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void sentiment(@Variable("event") SentimentAlert alert) {
        raise(Kind.SENTIMENT, alert.conversation().id(), alert.conversation().pageId(), alert.conversation().agentId(),
                "mood " + alert.level() + String.format(Locale.ROOT, " (score %.2f)", alert.score()), alert.at());
    }

    public void messageFailed(@Variable("event") MessageFailed failed) {
        String pageId = jdbc.sql("select page_id from conversation where id = :id").param("id", failed.conversationId())
                .query(String.class).optional().orElse(null);
        raise(Kind.MESSAGE_FAILED, failed.conversationId(), pageId, failed.agentId(), failed.reason(), failed.at());
    }

    /** Once per Page until acknowledged: every send after a 190 fails the same way. */
    public void pageReauthorisation(@Variable("event") PageReauthorisationRequired required) {
        boolean raisedAlready = jdbc.sql("select count(*) from supervisor_alert where kind = :kind and page_id = :page"
                        + " and acknowledged_at is null")
                .param("kind", Kind.PAGE_REAUTHORISATION.name()).param("page", required.pageId()).query(Integer.class).single() > 0;
        if (!raisedAlready) {
            raise(Kind.PAGE_REAUTHORISATION, null, required.pageId(), null, required.reason(), required.at());
        }
    }

    private void raise(Kind kind, String conversationId, String pageId, String agentId, String detail, Instant at) {
        jdbc.sql("insert into supervisor_alert (kind, conversation_id, page_id, agent_id, detail, raised_at)"
                        + " values (:kind, :conversation, :page, :agent, :detail, :at)")
                .param("kind", kind.name()).param("conversation", conversationId).param("page", pageId).param("agent", agentId)
                .param("detail", detail == null || detail.length() <= DETAIL_LENGTH ? detail : detail.substring(0, DETAIL_LENGTH))
                .param("at", utc(at)).update();
    }

    /** Not acknowledged, of a conversation not closed (or of a Page), oldest first. */
    public List<Alert> open() {
        return jdbc.sql("select " + COLUMNS + " from supervisor_alert a left join conversation c on c.id = a.conversation_id"
                        + " where a.acknowledged_at is null and (a.conversation_id is null or c.state <> 'CLOSED')"
                        + " order by a.raised_at, a.id")
                .query(SupervisorAlerts::alert).list();
    }

    /** Every alert of a conversation, acknowledged ones too, oldest first. */
    public List<Alert> of(String conversationId) {
        return jdbc.sql("select " + COLUMNS + " from supervisor_alert a left join conversation c on c.id = a.conversation_id"
                        + " where a.conversation_id = :id order by a.raised_at, a.id")
                .param("id", conversationId).query(SupervisorAlerts::alert).list();
    }

    public Optional<Alert> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from supervisor_alert a left join conversation c on c.id = a.conversation_id"
                        + " where a.id = :id").param("id", id).query(SupervisorAlerts::alert).optional();
    }

    /** Records who acknowledged it and when; 404 for no such alert, 409 when it was acknowledged already. */
    public Alert acknowledge(long id, String supervisor) {
        int updated = jdbc.sql("update supervisor_alert set acknowledged_by = :by, acknowledged_at = :at"
                        + " where id = :id and acknowledged_at is null")
                .param("by", supervisor).param("at", utc(clock.instant())).param("id", id).update();
        Alert alert = find(id).orElseThrow(() -> new ApiNotFoundException("alert " + id + " not found"));
        if (updated != 1) {
            throw new ApiConflictException("alert " + id + " was acknowledged already, by " + alert.acknowledgedBy()
                    + " at " + alert.acknowledgedAt());
        }
        return alert;
    }

    private static Alert alert(ResultSet rs, int row) throws SQLException {
        return new Alert(rs.getLong("id"), Kind.valueOf(rs.getString("kind")), rs.getString("conversation_id"),
                rs.getString("page_id"), rs.getString("agent_id"), rs.getString("detail"), instant(rs, "raised_at"),
                rs.getString("acknowledged_by"), instant(rs, "acknowledged_at"), rs.getString("queue"), rs.getString("state"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
