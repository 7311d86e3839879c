package io.messengerhub.supervisor;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The supervisor API with the hub's database on a real PostgreSQL: the floor's queries, alerts, consults and the record. */
class SupervisorApiOnPostgresTest extends SupervisorApiTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_supervisor");
    }
}
