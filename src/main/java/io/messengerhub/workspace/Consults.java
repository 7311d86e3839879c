package io.messengerhub.workspace;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.messengerhub.outbox.DomainEvents;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * A supervisor's consult in a conversation: the supervisor writes beside the agent who holds it, the agent answers;
 * both see the thread, the customer never does (nothing of it goes to the Send API). Each message is stored with the
 * conversation (table consult_message) and recorded as {@link ConsultMessage} in the same transaction.
 */
@Component("consults")
public class Consults {

    /** A consult message says something, briefly. */
    public static final int MAX_LENGTH = 4_000;

    /** Who wrote a consult message. */
    public enum Role { SUPERVISOR, AGENT }

    /** One message of the thread; {@code agentId} is the agent consulted (the holder when it was written). */
    public record Message(long id, String conversationId, String author, Role role, String agentId, String text, Instant sentAt) {
    }

    private final JdbcClient jdbc;
    private final DomainEvents events;
    private final Clock clock;

    public Consults(JdbcClient jdbc, DomainEvents events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** Why the text cannot be a consult message, or null when it can. */
    public static String refusal(String text) {
        if (text == null || text.isBlank()) {
            return "text is required";
        }
        if (text.length() > MAX_LENGTH) {
            return "a consult message has at most " + MAX_LENGTH + " characters";
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            return "a consult message may not hold control characters";
        }
        return null;
    }

    /** Stores the message and records it; call inside the deciding transaction, with a text {@link #refusal} allows. */
    public Message write(String conversationId, String author, Role role, String agentId, String text) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into consult_message (conversation_id, author, author_role, agent_id, text, sent_at)
                values (:conversation, :author, :role, :agent, :text, :at)""")
                .param("conversation", conversationId).param("author", author).param("role", role.name())
                .param("agent", agentId).param("text", text).param("at", now.atOffset(ZoneOffset.UTC))
                .update(key, "id");
        Message message = new Message(key.getKey().longValue(), conversationId, author, role, agentId, text, now);
        events.record(new ConsultMessage(message));
        return message;
    }

    /** The conversation's consult thread, oldest first. */
    public List<Message> of(String conversationId) {
        return jdbc.sql("select id, conversation_id, author, author_role, agent_id, text, sent_at from consult_message"
                        + " where conversation_id = :id order by sent_at, id")
                .param("id", conversationId).query(Consults::message).list();
    }

    private static Message message(ResultSet rs, int row) throws SQLException {
        return new Message(rs.getLong("id"), rs.getString("conversation_id"), rs.getString("author"),
                Role.valueOf(rs.getString("author_role")), rs.getString("agent_id"), rs.getString("text"),
                rs.getObject("sent_at", OffsetDateTime.class).toInstant());
    }
}
