package io.messengerhub.agent;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** concurrent distributors with the hub's database on a real PostgreSQL (row locks, LIMIT and list parameters behave differently). */
class ConcurrentDistributionOnPostgresTest extends ConcurrentDistributionTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_concurrent");
    }
}
