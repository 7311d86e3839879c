package io.messengerhub.attachment;

import io.messengerhub.support.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** customers' files with the hub's database on a real PostgreSQL (row locks, LIMIT and list parameters behave differently). */
class AttachmentIntakeOnPostgresTest extends AttachmentIntakeTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry, "spring.datasource", "hub_attachments");
    }
}
