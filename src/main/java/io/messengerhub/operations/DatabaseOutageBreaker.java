package io.messengerhub.operations;

import java.sql.Connection;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.throttling.ThrottlingExceptionHalfOpenHandler;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Pauses every route that consumes from the broker while the hub's database is unreachable, and resumes it when the
 * database answers again: the messages wait on the broker instead of using up their delivery attempts and ending on
 * a dead-letter queue during a database restart. Webhooks keep being answered meanwhile (they need only the broker).
 *
 * <p>Camel's own circuit breaker for consumers, {@link ThrottlingExceptionRoutePolicy}, one per {@code jms:} and {@code jms-batch:} route:
 * the first exchange that fails for want of a database connection opens it (the consumer is suspended; the message
 * that failed goes back to the broker as any failed attempt does); every {@code hub.database.outage-check-interval}
 * the database is asked for a valid connection, and the consumer resumes when it gives one. Other failures (bad
 * data, a Graph API error) are not counted: they are the routes' own error handling's.
 */
@Component
public class DatabaseOutageBreaker implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageBreaker.class);

    /** What the database being away looks like, as Spring and the JDBC drivers throw it (causes are looked into). */
    static final List<Class<?>> UNREACHABLE = List.of(DataAccessResourceFailureException.class,
            TransientDataAccessResourceException.class, CannotCreateTransactionException.class,
            SQLTransientConnectionException.class, SQLNonTransientConnectionException.class);

    private final DataSource hubDatabase;
    private final Duration checkInterval;

    public DatabaseOutageBreaker(DataSource hubDatabase,
                                 @Value("${hub.database.outage-check-interval}") Duration checkInterval) {
        this.hubDatabase = hubDatabase;
        this.checkInterval = checkInterval;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || definition.getInput() == null
                || !consumesFromBroker(definition.getInput().getEndpointUri())) {
            return null;
        }
        return new Breaker(routeId, checkInterval, this::databaseAnswers);
    }

    private static boolean consumesFromBroker(String uri) {
        return uri.startsWith("jms:") || uri.startsWith("jms-batch:");
    }

    /** Whether the database gives a valid connection now. */
    boolean databaseAnswers() {
        try (Connection connection = hubDatabase.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            LOG.debug("The hub's database still does not answer: {}", e.getMessage());
            return false;
        }
    }

    /**
     * The breaker of one route, saying when it pauses and resumes it.
     *
     * <p>Opened once per outage: a route with several consumers sees them fail at the same moment, and Camel's policy
     * opened on each failure, each time with a new check timer; the first timer cancelled the last one and, finding
     * the circuit opened too recently, scheduled none, so the route stayed paused for good (seen in the chaos run).
     * Failures that end while the route is paused are the outage already known, and are not counted again.
     */
    static final class Breaker extends ThrottlingExceptionRoutePolicy {

        private final String routeId;
        private final Duration checkInterval;
        /** Written under this policy's lock; read by tests. */
        private volatile boolean paused;

        Breaker(String routeId, Duration checkInterval, ThrottlingExceptionHalfOpenHandler databaseAnswers) {
            super(1, Duration.ofMinutes(1).toMillis(), checkInterval.toMillis(), UNREACHABLE);
            this.routeId = routeId;
            this.checkInterval = checkInterval;
            setHalfOpenHandler(databaseAnswers);
        }

        /**
         * Only a failure can open the circuit, and the first one does (threshold 1): an exchange that did not fail
         * leaves it as it is, without the lock and the state line Camel's policy formats for its logger each time.
         */
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.getException() == null) {
                return;
            }
            synchronized (this) {
                if (!paused) {
                    super.onExchangeDone(route, exchange);
                }
            }
        }

        @Override
        protected synchronized void openCircuit(Route route) {
            super.openCircuit(route);
            if (!paused) {
                paused = true;
                LOG.warn("The hub's database is unreachable: route {} paused, its messages wait on the broker;"
                        + " checking every {} ms", routeId, checkInterval.toMillis());
            }
        }

        @Override
        protected synchronized void closeCircuit(Route route) {
            super.closeCircuit(route);
            if (paused) {
                paused = false;
                LOG.info("The hub's database answers again: route {} resumed", routeId);
            }
        }

        boolean paused() {
            return paused;
        }
    }
}
