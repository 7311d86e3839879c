package io.messengerhub.broker;

import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The broker's management operations ({@code ActiveMQServerControl}: security settings, queues, connections, caches),
 * invoked with a management message on its management address over the hub's own login, role {@code hub}, which
 * may manage. The same for the embedded broker and a standalone pair: what the hub changes this way the broker
 * keeps in its journal, which the backup replicates.
 */
@Component
public class BrokerManagement {

    private final ConnectionFactory factory;
    private final String address;
    private final Duration timeout;

    public BrokerManagement(ConnectionFactory factory,
                            @Value("${hub.broker.management-address:activemq.management}") String address,
                            @Value("${hub.broker.management-timeout:10s}") Duration timeout) {
        this.factory = BrokerMessages.uncached(factory);
        this.address = address;
        this.timeout = timeout;
    }

    /** Creates a durable anycast queue on its own address, if it is not there yet. */
    public void createQueue(String name) {
        invoke("createQueue", QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST).setDurable(true).toJSON(), true);
    }

    /** The operation's result; an {@link IllegalStateException} saying why when the broker refuses or does not answer. */
    public Object invoke(String operation, Object... arguments) {
        try (Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            TemporaryQueue replies = session.createTemporaryQueue();
            Message request = session.createMessage();
            JMSManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, arguments);
            request.setJMSReplyTo(replies);
            try (MessageConsumer answers = session.createConsumer(replies);
                 MessageProducer requests = session.createProducer(session.createQueue(address))) {
                requests.send(request);
                Message reply = answers.receive(timeout.toMillis());
                if (reply == null) {
                    throw new IllegalStateException("the broker did not answer " + operation + " within " + timeout);
                }
                if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                    throw new IllegalStateException("the broker refused " + operation + ": " + JMSManagementHelper.getResult(reply));
                }
                return JMSManagementHelper.getResult(reply);
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (JMSException e) {
            throw new IllegalStateException("could not reach the broker for " + operation + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the broker's answer to " + operation + ": " + e.getMessage(), e);
        }
    }
}
