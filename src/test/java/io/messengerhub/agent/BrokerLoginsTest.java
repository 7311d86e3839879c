package io.messengerhub.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The broker's logins over TCP: the hub's own login has no known password (a generated one when none is set), a
 * supervisor can subscribe to the events topic and read an offer queue before the first event or offer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerLoginsTest extends HubSystemTest {

    private static TestAgents agents;
    private static final String SUPERVISOR_PASSWORD = "pw-supervisor";

    @DynamicPropertySource
    static void agentsAndBroker(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        String hash = PasswordHashes.hash(SUPERVISOR_PASSWORD);
        registry.add("hub.agents.users[0].id", () -> "watcher");
        registry.add("hub.agents.users[0].password-hash", () -> hash);
        registry.add("hub.agents.users[0].role", () -> "supervisor");
    }

    @Value("${hub.data-dir}")
    Path dataDir;

    @Test
    @Order(1)
    void shouldLetASupervisorSubscribeToEventsAndOffersBeforeTheFirstOne() throws Exception {
        try (var connection = new ActiveMQConnectionFactory(agents.brokerUrl()).createConnection("watcher", SUPERVISOR_PASSWORD)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // No event and no offer exists yet in this hub: the addresses were declared at start.
            assertThat(session.createConsumer(session.createTopic("contact-center.events"))).isNotNull();
            assertThat(session.createConsumer(session.createQueue("contact-center.offers.sales"))).isNotNull();
            assertThat(session.createConsumer(session.createQueue("contact-center.offers.billing"))).isNotNull();
            assertThat(session.createConsumer(session.createQueue("contact-center.offers.general"))).isNotNull();
        }
    }

    @Test
    @Order(2)
    void shouldGenerateTheHubsBrokerPasswordWhenNoneIsSet() throws Exception {
        Path file = dataDir.resolve("hub-broker-password");
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        String generated = Files.readString(file).trim();
        assertThat(generated).hasSizeGreaterThanOrEqualTo(32);
        var broker = new ActiveMQConnectionFactory(agents.brokerUrl());

        assertThatThrownBy(() -> broker.createConnection("hub", "demo-broker-password").close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> broker.createConnection("hub", "").close()).isInstanceOf(JMSSecurityException.class);
        try (var connection = broker.createConnection("hub", generated)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(session.createBrowser(session.createQueue("hub.webhook.dead-letter"))).isNotNull();
        }
    }

    @Test
    @Order(3)
    void shouldRefuseAnAgentsRightPasswordWhileItsIdIsLockedAfterRepeatedFailures() throws Exception {
        var broker = new ActiveMQConnectionFactory(agents.brokerUrl());
        for (int i = 0; i < 5; i++) {
            int attempt = i;
            assertThatThrownBy(() -> broker.createConnection("ben", "guess-" + attempt).close())
                    .isInstanceOf(JMSSecurityException.class);
        }

        assertThatThrownBy(() -> broker.createConnection("ben", "pw-ben").close()).isInstanceOf(JMSSecurityException.class);
        try (var anna = broker.createConnection("anna", "pw-anna")) {
            assertThat(anna).as("other agents are not affected").isNotNull();
        }
    }

    @Test
    @Order(4)
    void shouldKeepTheGeneratedPasswordAcrossRestarts() throws Exception {
        String first = Files.readString(dataDir.resolve("hub-broker-password")).trim();
        var again = new io.messengerhub.broker.HubBrokerLogin("hub", "", dataDir);
        assertThat(again.password()).isEqualTo(first);
        assertThat(new io.messengerhub.broker.HubBrokerLogin("hub", "chosen", dataDir).password()).isEqualTo("chosen");
        assertThat(Set.of(first)).doesNotContain("demo-broker-password");
    }
}
