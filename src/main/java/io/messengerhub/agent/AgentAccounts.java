package io.messengerhub.agent;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.messengerhub.agent.AgentProperties.Agent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The agent accounts of the admin API, in table agent_account; {@link AgentAdministration} changes them. */
@Repository
public class AgentAccounts {

    /** An account as the admin API shows it: never the password hash. */
    public record Account(String id, String name, List<String> queues, int capacity, boolean enabled,
                          OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private static final String COLUMNS = "id, name, password_hash, queues, capacity, enabled, created_at, updated_at";

    private final JdbcClient jdbc;
    private final Clock clock;

    public AgentAccounts(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public List<Account> all() {
        return jdbc.sql("select " + COLUMNS + " from agent_account order by id").query(AgentAccounts::account).list();
    }

    public Optional<Account> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from agent_account where id = :id").param("id", id)
                .query(AgentAccounts::account).optional();
    }

    /** Locks the account's row for the rest of the transaction. */
    Optional<Account> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from agent_account where id = :id for update").param("id", id)
                .query(AgentAccounts::account).optional();
    }

    Optional<Agent> enabled(String id) {
        return jdbc.sql("select " + COLUMNS + " from agent_account where id = :id and enabled = true").param("id", id)
                .query(AgentAccounts::agent).optional();
    }

    List<Agent> enabledAgents() {
        return jdbc.sql("select " + COLUMNS + " from agent_account where enabled = true order by id")
                .query(AgentAccounts::agent).list();
    }

    void insert(String id, String name, String passwordHash, List<String> queues, int capacity) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.sql("""
                insert into agent_account (id, name, password_hash, queues, capacity, enabled, created_at, updated_at)
                values (:id, :name, :hash, :queues, :capacity, true, :now, :now)""")
                .param("id", id).param("name", name).param("hash", passwordHash).param("queues", String.join(",", queues))
                .param("capacity", capacity).param("now", now).update();
    }

    void update(String id, String name, List<String> queues, int capacity) {
        jdbc.sql("update agent_account set name = :name, queues = :queues, capacity = :capacity, updated_at = :now where id = :id")
                .param("id", id).param("name", name).param("queues", String.join(",", queues)).param("capacity", capacity)
                .param("now", OffsetDateTime.now(clock)).update();
    }

    void enable(String id, boolean enabled) {
        jdbc.sql("update agent_account set enabled = :enabled, updated_at = :now where id = :id")
                .param("id", id).param("enabled", enabled).param("now", OffsetDateTime.now(clock)).update();
    }

    void password(String id, String passwordHash) {
        jdbc.sql("update agent_account set password_hash = :hash, updated_at = :now where id = :id")
                .param("id", id).param("hash", passwordHash).param("now", OffsetDateTime.now(clock)).update();
    }

    void delete(String id) {
        jdbc.sql("delete from agent_account where id = :id").param("id", id).update();
    }

    private static Account account(ResultSet row, int number) throws SQLException {
        return new Account(row.getString("id"), row.getString("name"), queues(row.getString("queues")), row.getInt("capacity"),
                row.getBoolean("enabled"), row.getObject("created_at", OffsetDateTime.class),
                row.getObject("updated_at", OffsetDateTime.class));
    }

    private static Agent agent(ResultSet row, int number) throws SQLException {
        return new Agent(row.getString("id"), row.getString("name"), row.getString("password_hash"),
                queues(row.getString("queues")), row.getInt("capacity"));
    }

    private static List<String> queues(String stored) {
        return stored == null || stored.isBlank() ? List.of() : Arrays.stream(stored.split(",")).toList();
    }
}
