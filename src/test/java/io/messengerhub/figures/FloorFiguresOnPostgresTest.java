package io.messengerhub.figures;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The floor's figures with the hub's database on a real PostgreSQL (timestamps with time zone, grouping). */
class FloorFiguresOnPostgresTest extends FloorFiguresTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_figures");
    }
}
