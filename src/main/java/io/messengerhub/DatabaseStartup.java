package io.messengerhub;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

/**
 * Brings the hub's database up to date (Flyway) and waits for it while it is not there, so that a hub started before
 * its database keeps running and says so instead of failing: this runs after the web server has opened and before
 * the Camel context starts, so meanwhile {@code /actuator/health/readiness} answers DOWN (503), the liveness probe
 * answers UP, and every other request gets 503 with {@code Retry-After} (ReadinessGate).
 *
 * <p>Only a database that is not reachable is waited for (refused, lost or timed-out connections, a server still
 * starting); a wrong password, a missing database or a broken migration fails the start at once with its reason.
 * Once the schema is current, {@link HubDatabaseReady} goes out, so that what must touch the database before any
 * route starts (releasing this instance's old locks, the demo CRM) waits with it.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseStartup implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStartup.class);

    /** One after the web server's start (Spring Boot's phase for it is 1024 below its graceful shutdown's). */
    private static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1023;
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private static final Duration SAY_AGAIN_AFTER = Duration.ofSeconds(30);

    private final Flyway flyway;
    private final ApplicationEventPublisher events;
    private final String databaseUrl;
    private volatile boolean running;
    private volatile boolean shuttingDown;

    DatabaseStartup(Flyway flyway, ApplicationEventPublisher events, Environment environment) {
        this.flyway = flyway;
        this.events = events;
        // Without its parameters, which may hold a password.
        this.databaseUrl = environment.getProperty("spring.datasource.url", "spring.datasource.url").replaceAll("[?;].*", "");
    }

    /** Spring Boot would migrate while it creates the beans, before the web server opens; this class does it later. */
    @Bean
    static FlywayMigrationStrategy migrateWhenTheWebServerIsOpen() {
        return flyway -> {
        };
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void start() {
        // Alive while it waits: an orchestrator must not restart a hub for waiting on its database.
        AvailabilityChangeEvent.publish(events, this, LivenessState.CORRECT);
        Thread stopWaiting = new Thread(() -> shuttingDown = true, "database-startup-shutdown");
        Runtime.getRuntime().addShutdownHook(stopWaiting);
        try {
            bringUpToDate();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopWaiting);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook has run or is running; nothing to undo
            }
        }
        running = true;
    }

    private void bringUpToDate() {
        Instant waitingSince = null;
        Instant said = Instant.MIN;
        Duration pause = Duration.ofMillis(500);
        while (true) {
            try {
                flyway.migrate();
                events.publishEvent(new HubDatabaseReady());
                if (waitingSince != null) {
                    LOG.info("The hub's database answered after {} s of waiting; starting the routes",
                            Duration.between(waitingSince, Instant.now()).toSeconds());
                }
                return;
            } catch (RuntimeException failure) {
                if (!unreachable(failure)) {
                    throw failure;
                }
                Instant now = Instant.now();
                if (waitingSince == null) {
                    waitingSince = now;
                }
                if (now.isAfter(said.plus(SAY_AGAIN_AFTER))) {
                    LOG.warn("Waiting for the hub's database ({}): {}. Not ready (/actuator/health/readiness) until it answers.",
                            databaseUrl, reason(failure));
                    said = now;
                }
                pauseFor(pause);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private void pauseFor(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < until) {
            if (shuttingDown || Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("the hub was stopped while it waited for its database");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether the failure says the database is not there (yet): no connection, a lost or timed-out one, a server
     * still starting (SQLState class 08, PostgreSQL's 57P03). Not: a refused login, a missing database, bad SQL.
     */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P03"))) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable failure) {
        Throwable deepest = NestedExceptionUtils.getMostSpecificCause(failure);
        return deepest.getClass().getSimpleName() + ": " + deepest.getMessage();
    }

    @Override
    public void stop() {
        shuttingDown = true;
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
