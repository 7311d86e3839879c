package io.messengerhub.webhook;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The webhook spine on a real PostgreSQL 14, as docker-compose.yml deploys it. */
class WebhookIngestionOnPostgresTest extends WebhookIngestionContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_ingestion");
    }
}
