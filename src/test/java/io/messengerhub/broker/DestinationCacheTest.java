package io.messengerhub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import io.messengerhub.outbox.OutboxBrokerConfiguration.OutboxConnection;
import io.messengerhub.support.HubSystemTest;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hub's broker connections look a queue or topic name up on the broker once, not before every send: the
 * webhook's store, the outbox and the management connection all come from the factory Spring Boot builds.
 */
class DestinationCacheTest extends HubSystemTest {

    @Autowired
    ConnectionFactory shared;

    @Autowired
    OutboxConnection outbox;

    @Test
    void shouldAskTheBrokerForADestinationOncePerConnection() throws Exception {
        assertThat(BrokerMessages.uncached(shared)).isInstanceOfSatisfying(ActiveMQConnectionFactory.class,
                artemis -> assertThat(artemis.isCacheDestinations()).isTrue());

        for (ConnectionFactory factory : new ConnectionFactory[] {shared, outbox.factory()}) {
            try (Connection connection = factory.createConnection();
                 Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                // Without the cache, each call asks the broker (a queue query) and answers a new object.
                assertThat(session.createQueue("hub.webhook.inbound")).isSameAs(session.createQueue("hub.webhook.inbound"));
                assertThat(session.createTopic("contact-center.events")).isSameAs(session.createTopic("contact-center.events"));
            }
        }
    }
}
