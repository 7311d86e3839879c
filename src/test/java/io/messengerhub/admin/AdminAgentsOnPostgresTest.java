package io.messengerhub.admin;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Agents of the admin API and the audit with the hub's database on a real PostgreSQL (row locks, identity columns, typed parameters). */
class AdminAgentsOnPostgresTest extends AdminAgentsTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_admin");
    }
}
