package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.messengerhub.HubApplication;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.StandaloneHub;
import io.messengerhub.support.WebhookClient;
import jakarta.jms.Message;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.core.JmsTemplate;

/**
 * Facebook re-sends after the hub restarted: the event is still recognised (the journal is in the database,
 * the broker's duplicate-id cache in its journal), so there is one stored message and one offer.
 */
class RestartDeduplicationTest {

    private static final String PAGE = HubSystemTest.SALES_PAGE;

    @Test
    void shouldStoreAndOfferOnceWhenTheSameDeliveryArrivesAfterARestart() {
        Path dataDir = HubSystemTest.newDataDir();
        String psid = "psid-restart-" + System.nanoTime();
        String body = webhook(entry(PAGE, text(PAGE, psid, "m-" + psid, "before and after the restart")));

        try (var first = startHub(dataDir)) {
            assertThat(StandaloneHub.client(first).postSigned(body).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> messagesOf(first, psid) == 1);
        }
        try (var second = startHub(dataDir)) {
            assertThat(StandaloneHub.client(second).postSigned(body).statusCode()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> processed(second));

            assertThat(messagesOf(second, psid)).isEqualTo(1);
            assertThat(offersOnQueue(second, psid)).isEqualTo(1);
        }
    }

    private static ConfigurableApplicationContext startHub(Path dataDir) {
        return new SpringApplicationBuilder(HubApplication.class).run(
                "--server.port=0",
                "--hub.webhook.port=0",
                "--hub.data-dir=" + dataDir,
                "--hub.broker.tcp-acceptor=",
                "--hub.broker.websocket-acceptor=",
                "--hub.conversations.inactivity-timeout=36500d",
                "--hub.facebook.app-secret=" + WebhookClient.APP_SECRET,
                "--hub.facebook.verify-token=" + WebhookClient.VERIFY_TOKEN,
                "--hub.channels.pages[0].id=" + PAGE,
                "--hub.channels.pages[0].queue=sales");
    }

    /** The second hub has taken the re-sent webhook off its inbound queue and recorded it as a duplicate. */
    private static boolean processed(ConfigurableApplicationContext hub) {
        var meters = hub.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        var duplicates = meters.find("hub.events.duplicates").counter();
        return duplicates != null && duplicates.count() >= 1;
    }

    private static int messagesOf(ConfigurableApplicationContext hub, String psid) {
        return hub.getBean(JdbcClient.class)
                .sql("select count(*) from message m join conversation c on c.id = m.conversation_id where c.customer_psid = :psid")
                .param("psid", psid).query(Integer.class).single();
    }

    private static int offersOnQueue(ConfigurableApplicationContext hub, String psid) {
        var count = new AtomicInteger();
        hub.getBean(JmsTemplate.class).browse("contact-center.offers.sales", (session, browser) -> {
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                Message message = (Message) messages.nextElement();
                if (message.getBody(String.class).contains(psid)) {
                    count.incrementAndGet();
                }
            }
            return null;
        });
        return count.get();
    }
}
