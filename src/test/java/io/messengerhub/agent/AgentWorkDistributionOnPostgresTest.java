package io.messengerhub.agent;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** the agent loop with the hub's database on a real PostgreSQL (row locks, LIMIT and list parameters behave differently). */
class AgentWorkDistributionOnPostgresTest extends AgentWorkDistributionTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_agents");
    }
}
