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
    private final String statesUsingCapacity;

    public AgentStates(JdbcClient jdbc, Clock clock,
                       @org.springframework.beans.factory.annotation.Value("${hub.agents.wrap-up-uses-capacity:false}") boolean wrapUpUsesCapacity) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.statesUsingCapacity = wrapUpUsesCapacity ? "'ACTIVE', 'WRAP_UP'" : "'ACTIVE'";
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
                select (select count(*) from conversation where agent_id = :id and state in (%s))
                     + (select count(*) from conversation_offer where agent_id = :id and state = 'PENDING')""".formatted(statesUsingCapacity))
                .param("id", agentId).query(Integer.class).single();
    }

    public Optional<OffsetDateTime> lastAssigned(String agentId) {
        return jdbc.sql("select last_assigned_at from agent_state where agent_id = :id").param("id", agentId)
                .query((rs, row) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))).list().stream()
                .flatMap(Optional::stream).findFirst();
    }

    /**
     * The agent's client is alive (any command, heartbeats included). An agent set Offline because its client
     * went silent gets back the presence it had chosen; returns true when that happened.
     */
    public boolean seen(String agentId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int returned = jdbc.sql("update agent_state set presence = presence_before_disconnect, presence_before_disconnect = null,"
                        + " disconnected_at = null, last_seen_at = :now, updated_at = :now"
                        + " where agent_id = :id and disconnected_at is not null")
                .param("now", now).param("id", agentId).update();
        jdbc.sql("update agent_state set last_seen_at = :now where agent_id = :id").param("now", now).param("id", agentId).update();
        return returned > 0;
    }

    /** Agents not Offline whose client has been silent since {@code silentSince}. */
    public java.util.List<String> silentSince(OffsetDateTime silentSince) {
        return jdbc.sql("select agent_id from agent_state where presence <> 'OFFLINE' and last_seen_at < :since")
                .param("since", silentSince).query(String.class).list();
    }

    /** Sets a silent agent Offline, remembering what it had chosen. */
    public boolean disconnected(String agentId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return jdbc.sql("update agent_state set presence_before_disconnect = presence, presence = 'OFFLINE',"
                        + " disconnected_at = :now, updated_at = :now where agent_id = :id and presence <> 'OFFLINE'")
                .param("now", now).param("id", agentId).update() > 0;
    }

    /** Agents disconnected before {@code before} who have not come back: their grace period is over. */
    public java.util.List<String> disconnectedBefore(OffsetDateTime before) {
        return jdbc.sql("select agent_id from agent_state where disconnected_at is not null and disconnected_at < :before")
                .param("before", before).query(String.class).list();
    }

    /** The grace period is over; the agent stays Offline and will choose its presence again. */
    public void graceOver(String agentId) {
        jdbc.sql("update agent_state set disconnected_at = null, presence_before_disconnect = null where agent_id = :id")
                .param("id", agentId).update();
    }

    public void assigned(String agentId) {
        jdbc.sql("update agent_state set last_assigned_at = :now where agent_id = :id")
                .param("now", OffsetDateTime.now(clock)).param("id", agentId).update();
    }
}
