package io.messengerhub.customer;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Enrichment with the CRM on a real PostgreSQL. */
class CustomerEnrichmentOnPostgresCrmTest extends CustomerEnrichmentContract {

    @DynamicPropertySource
    static void postgresCrm(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "hub.crm.datasource", "crm_enrichment");
    }
}
