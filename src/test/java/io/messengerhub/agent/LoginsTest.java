package io.messengerhub.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import io.messengerhub.operations.DemoSecrets;
import io.messengerhub.support.MovableClock;
import io.messengerhub.channel.FacebookProperties;
import org.junit.jupiter.api.Test;

class LoginsTest {

    private static final String ANNA_HASH = PasswordHashes.hash("right-password");
    private static final AgentProperties AGENTS = new AgentProperties(null, List.of(),
            List.of(new AgentProperties.Agent("anna", "Anna", ANNA_HASH, List.of("sales"), 2)),
            List.of(new AgentProperties.User("supervisor", PasswordHashes.hash("demo-supervisor"), "supervisor")));

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final Logins logins = new Logins(directory(AGENTS, clock), clock, 5, Duration.ofSeconds(30), Duration.ofMinutes(15));

    /** The agents of the file, and an empty table of admin-API accounts in a database of their own. */
    static AgentDirectory directory(AgentProperties agents, java.time.Clock clock) {
        var database = new org.springframework.jdbc.datasource.SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:logins-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        new org.springframework.jdbc.datasource.init.ResourceDatabasePopulator(
                new org.springframework.core.io.ClassPathResource("db/migration/V13__agent_accounts_and_admin_audit.sql"))
                .execute(database);
        var accounts = new AgentAccounts(org.springframework.jdbc.core.simple.JdbcClient.create(database), clock);
        return new AgentDirectory(agents, accounts, clock, Duration.ofSeconds(5));
    }

    @Test
    void shouldLetTheRightPasswordInAndKnowTheUsersRole() {
        assertThat(logins.check("anna", "right-password", "test")).hasValueSatisfying(login -> assertThat(login.agent()).isTrue());
        assertThat(logins.check("supervisor", "demo-supervisor", "test"))
                .hasValueSatisfying(login -> assertThat(login.role()).isEqualTo("supervisor"));
        assertThat(logins.check("anna", "wrong", "test")).isEmpty();
        assertThat(logins.check("nobody", "right-password", "test")).isEmpty();
        assertThat(logins.check("anna", null, "test")).isEmpty();
    }

    @Test
    void shouldTakeAsLongToRefuseAnUnknownIdAsAWrongPassword() {
        // Medians of alternating attempts, so a busy moment of the machine hits both alike. Without the dummy hash an
        // unknown id was refused about ten times faster than a wrong password: the time told which ids exist.
        var unknown = new long[15];
        var wrong = new long[15];
        for (int i = 0; i < unknown.length; i++) {
            String attempt = "guess-" + i;
            unknown[i] = nanos(() -> logins.check("nobody-" + attempt, "guess", "test").isPresent());
            wrong[i] = nanos(() -> logins.check("anna", attempt, "test").isPresent());
            clock.advance(Duration.ofHours(1));
        }
        double ratio = (double) median(unknown) / median(wrong);

        assertThat(ratio).as("unknown id / wrong password refusal time").isBetween(0.5, 2.0);
    }

    @Test
    void shouldLockAnIdAfterRepeatedFailuresEvenForTheRightPassword() {
        for (int i = 0; i < 5; i++) {
            assertThat(logins.check("anna", "guess-" + i, "203.0.113.7")).isEmpty();
        }

        assertThat(logins.check("anna", "right-password", "203.0.113.7")).as("locked").isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(logins.check("anna", "right-password", "203.0.113.7")).as("lock over").isPresent();

        // A success starts the count again; a failure after a lock locks twice as long (attempts during a lock
        // are refused unchecked and do not count).
        for (int i = 0; i < 5; i++) {
            logins.check("anna", "guess-" + i, "203.0.113.7");
        }
        clock.advance(Duration.ofSeconds(31));
        assertThat(logins.check("anna", "guess-again", "203.0.113.7")).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(logins.check("anna", "right-password", "203.0.113.7")).as("second lock is 60 s").isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(logins.check("anna", "right-password", "203.0.113.7")).isPresent();
    }

    @Test
    void shouldNameEveryDemoLoginInTheWarning() {
        var facebook = new FacebookProperties("real-secret", "real-token", "http://127.0.0.1:9");
        var demo = new DemoSecrets(facebook, "real-api-token", "demo-operator-token", AGENTS);

        assertThat(demo.inUse()).isTrue();
        assertThat(demo.warning()).contains("supervisor supervisor").contains("HUB_OPERATOR_TOKENS")
                .doesNotContain("agent anna").doesNotContain("HUB_BROKER_PASSWORD");
    }

    private static long nanos(Supplier<Boolean> attempt) {
        long start = System.nanoTime();
        attempt.get();
        return System.nanoTime() - start;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
