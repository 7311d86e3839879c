package io.messengerhub.conversation;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes Open and Waiting conversations nobody has touched for {@code hub.conversations.inactivity-timeout}, as
 * Dynamics 365 does; the customer's next message opens a new conversation. Integrations and the holding agent
 * are told.
 */
@Component("inactivityCloser")
public class InactivityCloser {

    private final JdbcClient jdbc;
    private final ConversationRepository conversations;
    private final ConversationLifecycle lifecycle;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Duration timeout;

    public InactivityCloser(JdbcClient jdbc, ConversationRepository conversations, ConversationLifecycle lifecycle,
                            TransactionTemplate transaction, Clock clock,
                            @Value("${hub.conversations.inactivity-timeout}") Duration timeout) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.lifecycle = lifecycle;
        this.transaction = transaction;
        this.clock = clock;
        this.timeout = timeout;
    }

    public void closeInactive() {
        List<String> idle = jdbc.sql("select id from conversation where state in ('OPEN', 'WAITING') and last_interaction_at < :before"
                        + " order by last_interaction_at limit 200")
                .param("before", clock.instant().minus(timeout).atOffset(ZoneOffset.UTC)).query(String.class).list();
        for (String id : idle) {
            transaction.executeWithoutResult(status -> conversations.findById(id)
                    .ifPresent(conversation -> lifecycle.close(conversation, ConversationTransition.CLOSE_FOR_INACTIVITY)));
        }
    }
}
