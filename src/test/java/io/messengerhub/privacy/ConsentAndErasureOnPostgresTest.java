package io.messengerhub.privacy;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Consent and broker erasure with the hub's database on a real PostgreSQL: the consent table, retention's join, the erasure record. */
class ConsentAndErasureOnPostgresTest extends ConsentAndErasureTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_consent");
    }
}
