package io.messengerhub.conversation;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.messengerhub.support.HubSystemTest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The offer's send after the commit fails (the broker hiccups between the database commit and the send): the
 * conversation is already stored, the offer waits in the outbox, and the outbox-sweeper delivers it, once.
 */
@CamelSpringBootTest
@UseAdviceWith
@DirtiesContext
// A context of its own: a cached, already started hub could not be advised.
@TestPropertySource(properties = "hub.test.context=offer-send-failure")
class OfferSendFailureRouteTest extends HubSystemTest {

    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    @Autowired
    CamelContext camel;

    @BeforeEach
    void failTheFirstOfferSends() throws Exception {
        if (camel.isStarted()) {
            throw new IllegalStateException("the hub started before the test could advise its routes");
        }
        AdviceWith.adviceWith(camel, "send-committed", route -> route
                .weaveByToUri("bean:outboxRelay*").before()
                .process(exchange -> {
                    if (FAILURES_LEFT.getAndDecrement() > 0) {
                        throw new IllegalStateException("broker hiccup (injected by the test)");
                    }
                }));
        camel.start();
    }

    @Test
    void shouldDeliverTheOfferThroughTheSweeperWhenTheSendAfterCommitFails() {
        String psid = unique("psid");
        FAILURES_LEFT.set(3);
        var sweeps = new NotifyBuilder(camel).fromRoute("outbox-sweeper").whenCompleted(3).create();

        assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "hello")))).statusCode())
                .isEqualTo(200);

        assertThat(sweeps.matches(20, TimeUnit.SECONDS)).isTrue();
        awaitOffers("sales", psid, 1);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from outbox").query(Integer.class).single() == 0);
        assertThat(FAILURES_LEFT.get()).as("every injected failure happened").isNegative();
        assertThat(messagesOf(psid)).isEqualTo(1);
        assertThat(offersFor("sales", psid)).hasSize(1);
    }
}
