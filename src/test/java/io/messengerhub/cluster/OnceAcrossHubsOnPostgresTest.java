package io.messengerhub.cluster;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** once-only timers with the hub's database on a real PostgreSQL (its own lock statements: INSERT ... ON CONFLICT, row locks). */
class OnceAcrossHubsOnPostgresTest extends OnceAcrossHubsTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_once");
    }
}
