package io.messengerhub.overflow;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Operating hours and overflow with the hub's database on a real PostgreSQL (table conversation_overflow, its cascade). */
class OperatingHoursOnPostgresTest extends OperatingHoursTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_hours");
    }
}
