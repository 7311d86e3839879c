package io.messengerhub.operations;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.StandaloneHub;
import jakarta.jms.Message;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.core.JmsTemplate;

/**
 * A hub whose routing rules come from the routing.yaml of its config directory (hub.config.dir): the operator changes
 * the file while the hub runs, and the next conversation is routed by the new rules; a broken file is refused with its
 * line in the log, and the rules in force go on routing.
 */
class RoutingReloadTest {

    private static final String PAGE = HubSystemTest.SALES_PAGE;
    /** Not the shipped config/routing.yaml's rule (refund goes to billing there): the hub reads this directory's. */
    private static final String REFUNDS_TO_RETURNS = """
            hub:
              routing:
                rules:
                  - name: refunds
                    keywords: [refund]
                    queue: returns
            """;

    @TempDir
    Path configDir;

    private ConfigurableApplicationContext hub;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger reloadLogger = (Logger) LoggerFactory.getLogger(ConfigReload.class);

    @AfterEach
    void stopHub() {
        reloadLogger.detachAppender(log);
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void shouldRouteTheNextConversationByAChangedRoutingYamlAndRefuseABrokenOneKeepingTheRulesInForce() throws IOException {
        write(REFUNDS_TO_RETURNS);
        hub = StandaloneHub.start("--server.port=0", "--hub.broker.tcp-acceptor=",
                "--hub.data-dir=" + HubSystemTest.newDataDir(), "--hub.config.dir=" + configDir);
        log.start();
        reloadLogger.addAppender(log);
        assertThat(queueOf(newConversation("I want a refund"))).isEqualTo("returns");

        // A misspelt condition: Spring would ignore "keyword" and the rule would take every conversation.
        write("""
                hub:
                  routing:
                    rules:
                      - name: parcels
                        keyword: [parcel]
                        queue: logistics
                """);

        ILoggingEvent refusal = awaitLog(Level.WARN, configDir.resolve("routing.yaml") + ":5:");
        assertThat(refusal.getFormattedMessage()).contains("Refused the changed", "the routing rules in force stay",
                "hub.routing.rules[0].keyword: 'keyword' is not a known key");
        assertThat(queueOf(newConversation("I want a refund"))).isEqualTo("returns");
        assertThat(queueOf(newConversation("Where is my parcel?"))).isEqualTo("sales");

        write("""
                hub:
                  routing:
                    rules:
                      - name: parcels
                        keywords: [parcel]
                        queue: logistics
                """);

        ILoggingEvent reload = awaitLog(Level.INFO, "Routing rules of");
        assertThat(reload.getFormattedMessage()).contains("added rule 'parcels' (queue logistics)", "removed rule 'refunds'");
        String parcel = newConversation("Where is my parcel?");
        assertThat(queueOf(parcel)).isEqualTo("logistics");
        // logistics is a queue no rule named at start-up: its offer queue was made for it.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> offersOn("logistics", parcel) == 1);
        assertThat(queueOf(newConversation("I want a refund"))).isEqualTo("sales");
    }

    private void write(String routing) throws IOException {
        Files.writeString(configDir.resolve("routing.yaml"), routing);
    }

    private ILoggingEvent awaitLog(Level level, String text) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> List.copyOf(log.list).stream()
                        .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text)).findFirst(),
                java.util.Optional::isPresent).get();
    }

    /** A new customer's first message to the Page; answers the customer's PSID once the conversation is recorded. */
    private String newConversation(String firstMessage) {
        String psid = "psid-reload-" + System.nanoTime();
        var response = StandaloneHub.client(hub).postSigned(webhook(entry(PAGE, text(PAGE, psid, "m-" + psid, firstMessage))));
        assertThat(response.statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> queueOrNull(psid) != null);
        return psid;
    }

    private String queueOf(String psid) {
        return queueOrNull(psid);
    }

    private String queueOrNull(String psid) {
        return hub.getBean(JdbcClient.class).sql("select queue from conversation where customer_psid = :psid")
                .param("psid", psid).query(String.class).optional().orElse(null);
    }

    private int offersOn(String queue, String psid) {
        var count = new AtomicInteger();
        hub.getBean(JmsTemplate.class).browse("contact-center.offers." + queue, (session, browser) -> {
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                if (((Message) messages.nextElement()).getBody(String.class).contains(psid)) {
                    count.incrementAndGet();
                }
            }
            return null;
        });
        return count.get();
    }
}
