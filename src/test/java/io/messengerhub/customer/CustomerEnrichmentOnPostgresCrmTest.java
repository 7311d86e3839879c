package io.messengerhub.customer;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Enrichment with the CRM on a real PostgreSQL. */
class CustomerEnrichmentOnPostgresCrmTest extends CustomerEnrichmentContract {

    @DynamicPropertySource
    static void postgresCrm(DynamicPropertyRegistry registry) {
        registry.add("hub.crm.datasource.url", () -> EmbeddedPostgres.jdbcUrl("crm_enrichment"));
        registry.add("hub.crm.datasource.username", () -> "postgres");
        registry.add("hub.crm.datasource.password", () -> "");
    }
}
