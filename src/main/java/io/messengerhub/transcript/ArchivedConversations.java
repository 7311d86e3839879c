package io.messengerhub.transcript;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.messengerhub.search.TranscriptIndex;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The hub's database says which conversations are archived: closed and not yet erased or expired. */
@Component
public class ArchivedConversations implements TranscriptIndex.Archived {

    private final JdbcClient jdbc;

    public ArchivedConversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every archived conversation, in the order they closed. */
    public List<String> all() {
        return jdbc.sql("select id from conversation where state = 'CLOSED' order by closed_at").query(String.class).list();
    }

    @Override
    public Set<String> stillArchived(Collection<String> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("select id from conversation where state = 'CLOSED' and id in (:ids)")
                .param("ids", conversationIds).query(String.class).list());
    }
}
