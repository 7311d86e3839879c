package io.messengerhub.agent;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which agents' commands were carried out already, by their {@code requestId}: the broker delivers a command again
 * when a fault rolls its transaction back after the database committed what it did, and such a command must neither
 * act nor be answered twice. The retention run forgets them after a day (privacy.Retention). A command without a
 * usable requestId cannot be told apart and is carried out each time.
 */
@Component
public class CommandsCarriedOut {

    static final int MAX_REQUEST_ID = 128;

    private final JdbcClient jdbc;
    private final Clock clock;

    public CommandsCarriedOut(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Marks the command as carried out, within the caller's transaction; false when it was already. Call it first in
     * the transaction: after a refusal the transaction is no longer usable (PostgreSQL) and must roll back.
     */
    boolean firstTime(String agentId, String requestId) {
        if (requestId == null || requestId.isBlank() || requestId.length() > MAX_REQUEST_ID) {
            return true;
        }
        try {
            jdbc.sql("insert into agent_command (agent_id, request_id, received_at) values (:agent, :request, :at)")
                    .param("agent", agentId).param("request", requestId).param("at", OffsetDateTime.now(clock))
                    .update();
            return true;
        } catch (DuplicateKeyException carriedOut) {
            return false;
        }
    }

    /** Forgets the commands received before {@code cutoff} (the retention run). */
    public int forgetBefore(Instant cutoff) {
        return jdbc.sql("delete from agent_command where received_at < :cutoff")
                .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)).update();
    }
}
