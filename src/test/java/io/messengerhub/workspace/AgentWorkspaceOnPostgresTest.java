package io.messengerhub.workspace;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The agent's tools with the hub's database and the CRM on a real PostgreSQL: the view's and sentiment's LIMIT
 * queries, the case SQL with its typed null parameter, retention's timestamp comparisons and erasure's deletes.
 */
class AgentWorkspaceOnPostgresTest extends AgentWorkspaceTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_workspace");
        EmbeddedPostgres.register(registry, "hub.crm.datasource", "crm_workspace");
    }
}
