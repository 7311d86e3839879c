package io.messengerhub.operations;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The housekeeping of the embedded H2 database that H2 leaves undone with {@code WRITE_DELAY=0}. Each commit writes
 * a chunk to the database file; H2 rewrites chunks that hold only a few live pages in its background writer, which
 * it does not run when commits are written synchronously (the hub needs that: bench/crash-test.sh). Without it the
 * chunks stay, each with its descriptor on the heap and its bits in the free-space map that every commit searches
 * (bench/README.md, "The H2 database's housekeeping"). Called by the route database-housekeeping; does nothing on
 * PostgreSQL or when H2 writes in the background by itself.
 */
@Component
public class DatabaseHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHousekeeping.class);

    /** Chunks less full than this (percent of live data) are rewritten; H2's own default (autoCompactFillRate). */
    private static final int TARGET_FILL_RATE = 90;

    /** The most one pass rewrites, so that a pass holds H2's store lock only briefly. */
    private static final int REWRITE_AT_MOST_BYTES = 2 * 1024 * 1024;

    private final DataSource dataSource;
    private final boolean embeddedH2;

    /** {@code url}: the hub's database; only an embedded H2 file database ({@code jdbc:h2:file:}) is looked at. */
    public DatabaseHousekeeping(DataSource dataSource, @Value("${spring.datasource.url}") String url) {
        this.dataSource = dataSource;
        this.embeddedH2 = url != null && url.startsWith("jdbc:h2:file:");
    }

    /**
     * Rewrites the emptiest chunks into new ones; the old ones are dropped at the next commit. A pass that cannot
     * reach the database (it is closing, the JVM stopping) is skipped with one line: the next one tries again.
     */
    public void compact() {
        if (!embeddedH2) {
            return;
        }
        try {
            compactOnce();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("H2 housekeeping skipped: {}", e.getMessage());
        }
    }

    /** One pass; whether the database is an embedded H2 file database that needs it (false: nothing done). */
    boolean compactOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = embeddedH2Store(connection);
            if (store == null || store.getFileStore() == null || store.getAutoCommitDelay() > 0) {
                return false;
            }
            int before = store.getFillRate();
            boolean rewrote = store.compact(TARGET_FILL_RATE, REWRITE_AT_MOST_BYTES);
            LOG.debug("H2 housekeeping: fill rate {} %, chunks rewritten: {}", before, rewrote);
            return true;
        }
    }

    private static MVStore embeddedH2Store(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null;
        }
        var store = session.getDatabase().getStore();
        return store == null ? null : store.getMvStore();
    }
}
