package io.messengerhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;

/**
 * A receipt marks the Page's messages through the index of their status, on the embedded database (H2) of a hub in
 * use: it visits only the messages still SENT or DELIVERED, not every message of a long conversation. H2 plans by
 * statistics it takes by itself every few thousand changes; with them, and the shipped schema, it planned the plain
 * update through the foreign key's index on conversation_id (each receipt then read the whole conversation: a quarter
 * of the hub's CPU by the end of the benchmark's 20-minute soak).
 */
class ReceiptMarkingPlanTest {

    /** As config/application.yaml's, in memory. */
    private static final String URL = "jdbc:h2:mem:receipt-plan;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    @Test
    void shouldFindTheMessagesToMarkThroughTheIndexOfTheirStatus() throws Exception {
        try (Connection db = DriverManager.getConnection(URL)) {
            Flyway.configure().dataSource(URL, "", "").locations("classpath:db/migration").load().migrate();
            var sql = db.createStatement();
            // Many short conversations and one long one, as on a hub in use, and the statistics H2 keeps of them.
            sql.execute("""
                    insert into conversation (id, page_id, customer_psid, state, queue, opened_at, last_interaction_at)
                    select 'c-' || x, 'page', 'psid-' || x, 'CLOSED', 'general', now(), now() from system_range(0, 2000) r(x)""");
            sql.execute("""
                    insert into message (conversation_id, direction, kind, mid, text, sent_at, recorded_at, status)
                    select case when mod(x, 5) = 0 then 'c-0' else 'c-' || mod(x, 2000) end, 'IN', 'text', 'm-' || x, 'hi',
                           now(), now(), 'RECEIVED'
                    from system_range(1, 5000) r(x)""");
            sql.execute("analyze table message");
            // As H2's own statistics of a hub's message table had them (a few messages in most conversations, many in
            // some, nearly all RECEIVED): set, so that the plan does not hang on how ANALYZE's sample fell.
            sql.execute("alter table message alter column conversation_id selectivity 60");
            sql.execute("alter table message alter column status selectivity 1");

            for (String from : new String[] {"SENT", "DELIVERED"}) {
                String plan;
                // The statement as JdbcClient sends it: its named parameters as ?, in order of appearance.
                try (var explain = db.prepareStatement("explain "
                        + NamedParameterUtils.parseSqlStatementIntoString(ConversationRepository.MARK_OUTBOUND))) {
                    explain.setString(1, "READ");
                    explain.setString(2, "c-0");
                    explain.setString(3, from);
                    explain.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
                    try (var rows = explain.executeQuery()) {
                        rows.next();
                        plan = rows.getString(1);
                    }
                }

                // Any other index on conversation_id reads every message of the conversation.
                assertThat(plan).contains("ix_message_status:").doesNotContain("CONSTRAINT_").doesNotContain("ix_message_transcript");
                // The conditions the index is searched with: H2 writes them into a comment after the index's name.
                int index = plan.indexOf("ix_message_status:");
                assertThat(plan.substring(index, plan.indexOf("*/", index))).contains("conversation_id = ?").contains("status = ?");
            }
        }
    }
}
