package io.messengerhub.cluster;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Stops a hub that runs under an instance id another running hub already uses ({@code hub.cluster.instance-id},
 * {@code HUB_INSTANCE_ID}): two such hubs would share one transcript-index subscription, each indexing only half of
 * the archive, and each would give up the other's once-only locks when it restarts.
 *
 * <p>Every hub holds, for as long as it runs, a broker connection whose JMS client ID is {@code hub-instance:<id>};
 * the broker gives a client ID to one connection at a time. A second hub with the same id is refused that connection:
 * it logs why, stops its routes and answers not ready, and stays so until it is stopped. A hub that died leaves no
 * such connection behind (the broker drops a connection whose socket closed), so a restart under the same id is fine.
 * While the broker is not reachable the hub keeps trying, as its routes do.
 */
@Component
public class InstanceIdGuard {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceIdGuard.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final ConnectionFactory broker;
    private final ClusterProperties cluster;
    private final CamelContext camel;
    private final ApplicationEventPublisher events;
    private volatile Connection held;
    private volatile boolean stopping;

    public InstanceIdGuard(ConnectionFactory broker, ClusterProperties cluster, CamelContext camel, ApplicationEventPublisher events) {
        // The connection of its own: the shared one of the JMS template must not carry this client ID.
        this.broker = broker instanceof SingleConnectionFactory shared && shared.getTargetConnectionFactory() != null
                ? shared.getTargetConnectionFactory() : broker;
        this.cluster = cluster;
        this.camel = camel;
        this.events = events;
    }

    /** The client ID this hub's instance holds. */
    static String clientId(String instanceId) {
        return "hub-instance:" + instanceId;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void claim() {
        Thread claiming = new Thread(this::claimUntilHeld, "instance-id-guard");
        claiming.setDaemon(true);
        claiming.start();
    }

    private void claimUntilHeld() {
        String clientId = clientId(cluster.instanceId());
        boolean said = false;
        while (!stopping) {
            Connection connection = null;
            try {
                connection = broker.createConnection();
                connection.setClientID(clientId);
                connection.start();
                held = connection;
                LOG.debug("Holding the broker client ID {}", clientId);
                return;
            } catch (InvalidClientIDException taken) {
                close(connection);
                refuseToRun();
                return;
            } catch (JMSException | RuntimeException unreachable) {
                close(connection);
                if (!said) {
                    LOG.info("Broker not reachable yet to claim instance id {}: {}; trying again every {} s",
                            cluster.instanceId(), unreachable.getMessage(), RETRY.toSeconds());
                    said = true;
                }
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void refuseToRun() {
        LOG.error("Another hub is running with instance id '{}' (hub.cluster.instance-id, HUB_INSTANCE_ID) on this broker."
                + " This hub stops its routes and stays not ready: give every instance its own id and start it again.",
                cluster.instanceId());
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        try {
            camel.getRouteController().stopAllRoutes();
        } catch (Exception e) {
            LOG.error("Could not stop the routes of the hub with the duplicate instance id", e);
        }
    }

    /** Lets the client ID go when the hub stops (a context closed in a test, a restart). */
    @PreDestroy
    void release() {
        stopping = true;
        close(held);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException ignored) {
                // going away anyway
            }
        }
    }
}
