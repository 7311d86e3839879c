package io.messengerhub.intake;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConversationMoodContract} on a real PostgreSQL 14, as docker-compose.yml deploys it. */
class ConversationMoodOnPostgresTest extends ConversationMoodContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_mood");
    }

    @Override
    boolean aSessionWaitsForALock() {
        return jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'").query(Integer.class).single() > 0;
    }
}
