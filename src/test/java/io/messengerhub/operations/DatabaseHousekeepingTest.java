package io.messengerhub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;

import io.messengerhub.support.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * H2 with synchronous commits (the hub's WRITE_DELAY=0) keeps every chunk of its file that still holds a live page:
 * one chunk per commit, thousands after a few thousand commits. The housekeeping rewrites them into a few.
 */
class DatabaseHousekeepingTest {

    @Test
    void shouldRewriteTheChunksThatEachCommitLeavesBehindAndKeepTheData(@TempDir Path dir) throws Exception {
        // One connection for the whole test: H2 closes (and tidies up) a database when its last connection closes.
        String url = "jdbc:h2:file:" + dir.resolve("hub") + ";WRITE_DELAY=0";
        var dataSource = new SingleConnectionDataSource(url, "hub", "", true);
        var jdbc = JdbcClient.create(dataSource);
        // Old chunks are kept for the retention time (45 s by default) before they are dropped; not in this test.
        jdbc.sql("set retention_time 0").update();
        jdbc.sql("create table event (id bigint auto_increment primary key, hash varchar(64) unique, raw varchar(1000))")
                .update();
        for (int i = 0; i < 3000; i++) {
            jdbc.sql("insert into event (hash, raw) values (:hash, :raw)")
                    .param("hash", "%064d".formatted(i * 7919L % 100_003)).param("raw", "{\"event\":" + i + "}".repeat(10))
                    .update();
        }
        int chunksBefore = chunkCount(jdbc);

        var housekeeping = new DatabaseHousekeeping(dataSource, url);
        for (int pass = 0; pass < 20; pass++) {
            assertThat(housekeeping.compactOnce()).isTrue();
            jdbc.sql("update event set raw = raw where id = 1").update();
        }

        assertThat(chunksBefore).as("chunks kept without housekeeping").isGreaterThan(200);
        assertThat(chunkCount(jdbc)).as("chunks after housekeeping").isLessThan(chunksBefore / 10);
        assertThat(jdbc.sql("select count(*) from event").query(Integer.class).single()).isEqualTo(3000);
        assertThat(jdbc.sql("select raw from event where id = 3000").query(String.class).single())
                .startsWith("{\"event\":2999}");
        dataSource.destroy();
    }

    @Test
    void shouldLeaveADatabaseOtherThanEmbeddedH2Alone() throws Exception {
        String postgresUrl = EmbeddedPostgres.jdbcUrl("postgres");
        var postgres = new SimpleDriverDataSource(new org.postgresql.Driver(), postgresUrl, "postgres", "");
        var inMemory = new SingleConnectionDataSource("jdbc:h2:mem:housekeeping", "sa", "", true);

        assertThat(new DatabaseHousekeeping(postgres, postgresUrl).compactOnce()).as("PostgreSQL").isFalse();
        assertThat(new DatabaseHousekeeping(inMemory, "jdbc:h2:mem:housekeeping").compactOnce()).as("H2 in memory")
                .isFalse();
        inMemory.destroy();
    }

    @Test
    void shouldSkipAPassWhenTheDatabaseCannotBeReached(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("closed") + ";WRITE_DELAY=0";
        var closed = new SingleConnectionDataSource(url, "hub", "", true);
        closed.getConnection().createStatement().execute("shutdown");

        assertThatThrownBy(new DatabaseHousekeeping(closed, url)::compactOnce).isInstanceOf(SQLException.class);
        assertThatCode(new DatabaseHousekeeping(closed, url)::compact).doesNotThrowAnyException();
    }

    private static int chunkCount(JdbcClient jdbc) {
        return Integer.parseInt(jdbc.sql("select setting_value from information_schema.settings"
                + " where setting_name = 'info.CHUNK_COUNT'").query(String.class).single());
    }
}
