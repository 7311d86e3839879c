package io.messengerhub.workspace;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Agents' notes on conversations: kept with the conversation, never sent to the customer. */
@Component("notes")
public class Notes {

    /** A note must say something, and not a book. */
    public static final int MAX_LENGTH = 10_000;

    private final JdbcClient jdbc;
    private final Clock clock;

    public Notes(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void add(String conversationId, String agentId, String text) {
        jdbc.sql("insert into conversation_note (conversation_id, agent_id, text, created_at) values (:conversation, :agent, :text, :now)")
                .param("conversation", conversationId).param("agent", agentId).param("text", text)
                .param("now", OffsetDateTime.now(clock)).update();
    }

    public List<Map<String, Object>> of(String conversationId) {
        return jdbc.sql("select agent_id as \"agentId\", text as \"text\", created_at as \"createdAt\" from conversation_note"
                        + " where conversation_id = :id order by created_at, id")
                .param("id", conversationId).query().listOfRows();
    }
}
