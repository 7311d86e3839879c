package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.messengerhub.support.HubSystemTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Queue-level offer notifications nobody reads expire instead of piling up on the broker. */
@TestPropertySource(properties = "hub.dispatch.queue-notification-ttl=3s")
class QueueNotificationExpiryTest extends HubSystemTest {

    @Test
    void shouldDropUnreadQueueNotificationsAfterTheirTimeToLive() {
        String psid = unique("psid");
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "hello"))));

        assertThat(awaitOffers("sales", psid, 1)).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> offersFor("sales", psid).isEmpty());
        assertThat(conversationsOf(psid)).isEqualTo(1);
    }
}
