package io.messengerhub.agent;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Agents' chosen presence, load and last assignment, in the database so every hub instance sees the same. */
@Repository
public class AgentStates {

    private final JdbcClient jdbc;
    private final Clock clock;

    public AgentStates(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The agent's chosen presence; an agent never heard of is Offline. */
    public Presence chosen(String agentId) {
        return jdbc.sql("select presence from agent_state where agent_id = :id").param("id", agentId)
                .query(String.class).optional().map(Presence::valueOf).orElse(Presence.OFFLINE);
    }

    public void choose(String agentId, Presence presence) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int updated = jdbc.sql("update agent_state set presence = :presence, updated_at = :now, last_seen_at = :now where agent_id = :id")
                .param("presence", presence.name()).param("now", now).param("id", agentId).update();
        if (updated == 0) {
            jdbc.sql("insert into agent_state (agent_id, presence, updated_at, last_seen_at) values (:id, :presence, :now, :now)")
                    .param("id", agentId).param("presence", presence.name()).param("now", now).update();
        }
    }

    /** Locks the agent's row for the rest of the transaction, so two hub instances cannot overbook it. */
    public Optional<Presence> lock(String agentId) {
        return jdbc.sql("select presence from agent_state where agent_id = :id for update").param("id", agentId)
                .query(String.class).optional().map(Presence::valueOf);
    }

    /** Conversations the agent is working on plus offers waiting for its answer. */
    public int used(String agentId) {
        return jdbc.sql("""
                select (select count(*) from conversation where agent_id = :id and state = 'ACTIVE')
                     + (select count(*) from conversation_offer where agent_id = :id and state = 'PENDING')""")
                .param("id", agentId).query(Integer.class).single();
    }

    public Optional<OffsetDateTime> lastAssigned(String agentId) {
        return jdbc.sql("select last_assigned_at from agent_state where agent_id = :id").param("id", agentId)
                .query((rs, row) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))).list().stream()
                .flatMap(Optional::stream).findFirst();
    }

    /** The agent's client is alive (heartbeat). */
    public void seen(String agentId) {
        jdbc.sql("update agent_state set last_seen_at = :now where agent_id = :id")
                .param("now", OffsetDateTime.now(clock)).param("id", agentId).update();
    }

    public void assigned(String agentId) {
        jdbc.sql("update agent_state set last_assigned_at = :now where agent_id = :id")
                .param("now", OffsetDateTime.now(clock)).param("id", agentId).update();
    }
}
