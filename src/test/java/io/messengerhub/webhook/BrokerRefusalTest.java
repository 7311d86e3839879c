package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.messengerhub.support.HubSystemTest;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The broker refuses writes (its inbound address is full) or blocks them (its disk is full): the webhook is answered
 * 503 so Facebook sends it again, and once the broker accepts writes again the re-sent event is processed exactly
 * once.
 */
@DirtiesContext
@TestPropertySource(properties = "hub.webhook.request-timeout=2000")
class BrokerRefusalTest extends HubSystemTest {

    private static final String INBOUND = "hub.webhook.inbound";

    @Autowired
    EmbeddedActiveMQ broker;

    @Autowired
    CamelContext camel;

    private AddressSettings inboundSettings;

    @BeforeEach
    void rememberInboundSettings() {
        inboundSettings = broker.getActiveMQServer().getAddressSettingsRepository().getMatch(INBOUND);
    }

    @AfterEach
    void brokerAcceptsAgain() throws Exception {
        broker.getActiveMQServer().getAddressSettingsRepository().addMatch(INBOUND, inboundSettings);
        camel.getRouteController().startRoute("webhook-process");
    }

    @Test
    void shouldAnswer503WhileTheBrokerRefusesAndProcessTheResendExactlyOnce() throws Exception {
        // Hold processing so stored webhooks stay on the address, and cap the address so the broker refuses more.
        camel.getRouteController().stopRoute("webhook-process");
        broker.getActiveMQServer().getAddressSettingsRepository().addMatch(INBOUND, new AddressSettings()
                .setMaxSizeBytes(1)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL));

        var accepted = new ArrayList<String>();
        String refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            String psid = unique("psid");
            int status = facebook.postSigned(event(psid)).statusCode();
            if (status == 503) {
                refused = psid;
            } else {
                assertThat(status).isEqualTo(200);
                accepted.add(psid);
            }
        }
        assertThat(refused).as("the full broker refused a webhook").isNotNull();

        brokerAcceptsAgain();
        String resent = refused;
        // Facebook keeps re-sending until it gets a 200.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> facebook.postSigned(event(resent)).statusCode() == 200);

        for (String psid : accepted) {
            awaitMessages(psid, 1);
        }
        awaitMessages(resent, 1);
        awaitOffers("sales", resent, 1);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> messagesOf(resent) == 1);
        assertThat(conversationsOf(resent)).isEqualTo(1);
        assertThat(offersFor("sales", resent)).hasSize(1);
        for (String psid : List.copyOf(accepted)) {
            assertThat(messagesOf(psid)).as("webhook answered 200 before the refusal, psid %s", psid).isEqualTo(1);
        }
    }

    @Test
    void shouldAnswer503WhileTheBrokersDiskIsFullAndProcessTheEventExactlyOnce() throws Exception {
        // The broker's own disk check, told that any use of the disk is too much: what max-disk-usage does on a
        // full disk. The broker blocks the durable send; the webhook is answered 503 when the request times out.
        var monitor = ((ActiveMQServerImpl) broker.getActiveMQServer()).getMonitor();
        double maxUsage = monitor.getMaxUsage();
        monitor.setMaxUsage(0.0);
        monitor.tick();
        String psid = unique("psid");
        try {
            var answer = facebook.postSigned(event(psid));

            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(messagesOf(psid)).isZero();
        } finally {
            monitor.setMaxUsage(maxUsage);
            monitor.tick();
        }
        // The send the broker held completes now; Facebook's re-send of the same event is a duplicate.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> facebook.postSigned(event(psid)).statusCode() == 200);
        awaitMessages(psid, 1);
        awaitOffers("sales", psid, 1);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> messagesOf(psid) == 1);
        assertThat(conversationsOf(psid)).isEqualTo(1);
        assertThat(offersFor("sales", psid)).hasSize(1);
    }

    private static String event(String psid) {
        return webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "are you there?")));
    }
}
