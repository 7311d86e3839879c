package io.messengerhub.support;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.webhook.WebhookServer;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole hub on a random port with its real embedded broker and database, in a data directory of its own.
 * Tests declare their own Pages and routing rules instead of relying on the demo ones in config/.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.facebook.app-secret=" + WebhookClient.APP_SECRET,
        "hub.facebook.verify-token=" + WebhookClient.VERIFY_TOKEN,
        "hub.api.tokens=other-token," + WebhookClient.API_TOKEN,
        "hub.operations.tokens=" + WebhookClient.OPERATOR_TOKEN,
        "hub.broker.tcp-acceptor=",
        "hub.webhook.port=0",
        // SlowClientsTest reaches the limit of one client with few connections.
        "hub.webhook.max-concurrent-per-client=16",
        "hub.broker.websocket-acceptor=",
        // Nothing in a test may reach the real Graph API: the discard port refuses at once.
        "hub.facebook.graph-url=http://127.0.0.1:9/v21.0",
        "hub.attachments.policy-file=src/test/resources/attachment-policy-local-only.yaml",
        // At JVM exit the embedded PostgreSQL may stop before the hubs do; don't wait long for their in-flight work.
        "camel.main.shutdown-timeout=3",
        "logging.level.org.apache.activemq=WARN",
        "hub.broker.max-delivery-attempts=3",
        "hub.broker.redelivery-delay=100ms",
        "hub.broker.max-redelivery-delay=200ms",
        "hub.outbox.stale-after=1s",
        // Test conversations carry fixed, old Facebook timestamps; only the inactivity test closes them.
        "hub.conversations.inactivity-timeout=36500d",
        "hub.outbox.sweep-interval=300",
        // Tests count the Send API calls they cause; AgentWorkspaceTest switches the disclosure on.
        "hub.privacy.disclosure=",
        "hub.privacy.retention.first-check-delay=86400000",
        // The demo's operating hours (config/operating-hours.yaml) would make results depend on the time of day; tests
        // that need operating hours declare their own (OperatingHoursTest).
        "hub.operating-hours.queues=",
        "hub.channels.pages[0].id=" + HubSystemTest.SALES_PAGE,
        "hub.channels.pages[0].name=Test Sales",
        "hub.channels.pages[0].access-token-env=TEST_PAGE_TOKEN",
        "hub.channels.pages[0].queue=sales",
        "hub.channels.pages[0].human-agent-tag=true",
        "hub.routing.rules[0].name=refunds",
        "hub.routing.rules[0].keywords=refund,erstattung",
        "hub.routing.rules[0].queue=billing",
})
public abstract class HubSystemTest {

    public static final String SALES_PAGE = "200000000000001";
    public static final String UNCONFIGURED_PAGE = "299999999999999";

    /** Each application context (cached per test configuration) gets its own broker journal and database files. */
    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        Path dataDir = newDataDir();
        registry.add("hub.data-dir", dataDir::toString);
    }

    @LocalServerPort
    protected int port;

    /** The port of the hub's webhook server (Vert.x, hub.webhook.port). */
    protected int webhookPort;

    @Autowired
    private WebhookServer webhookServer;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected JmsTemplate jms;

    @Autowired
    protected ObjectMapper json;

    protected WebhookClient facebook;

    @BeforeEach
    void connectClient() {
        webhookPort = webhookServer.port();
        facebook = new WebhookClient(port, webhookPort);
    }

    protected static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    /**
     * Holds processing (route webhook-process stopped) and posts a first message from each of {@code count} new
     * customers: their webhooks wait on the broker together, as under load, until the test starts the route again.
     */
    protected List<String> newCustomersWaitingTogether(CamelContext camel, int count) throws Exception {
        camel.getRouteController().stopRoute("webhook-process");
        var psids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            String psid = unique("psid");
            psids.add(psid);
            assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "waiting " + i))))
                    .statusCode()).isEqualTo(200);
        }
        return psids;
    }

    /** Waits until processing has stored {@code count} transcript messages for this customer. */
    protected void awaitMessages(String psid, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> messagesOf(psid) >= count);
    }

    protected int messagesOf(String psid) {
        return jdbc.sql("select count(*) from message m join conversation c on c.id = m.conversation_id where c.customer_psid = :psid")
                .param("psid", psid).query(Integer.class).single();
    }

    protected int eventsOf(String psid, String kind) {
        return jdbc.sql("select count(*) from facebook_event where customer_psid = :psid and kind = :kind")
                .param("psid", psid).param("kind", kind).query(Integer.class).single();
    }

    protected int conversationsOf(String psid) {
        return jdbc.sql("select count(*) from conversation where customer_psid = :psid")
                .param("psid", psid).query(Integer.class).single();
    }

    /** The presence the agent chose, as the hub stores it; an agent the hub has never seen is Offline. */
    protected String presenceOf(String agentId) {
        return jdbc.sql("select presence from agent_state where agent_id = :id").param("id", agentId)
                .query(String.class).optional().orElse("OFFLINE");
    }

    /** Closes the conversation as an integration does: POST /api/conversations/{id}/close with the API token. */
    protected HttpResponse<String> closeByApi(String conversationId) {
        return facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations/" + conversationId + "/close"))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** The offers on an agent queue's address for this customer, left on the queue (browsed, not consumed). */
    protected List<JsonNode> offersFor(String queue, String psid) {
        List<JsonNode> offers = jms.browse("contact-center.offers." + queue, (session, browser) -> {
            var found = new ArrayList<JsonNode>();
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                var message = (TextMessage) messages.nextElement();
                JsonNode offer = readJson(message.getText());
                if (psid.equals(offer.path("customerPsid").asText())) {
                    found.add(offer);
                }
            }
            return found;
        });
        return offers == null ? Collections.emptyList() : offers;
    }

    protected List<JsonNode> awaitOffers(String queue, String psid, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> offersFor(queue, psid).size() >= count);
        return offersFor(queue, psid);
    }

    protected JsonNode readJson(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path newDataDir() {
        try {
            return Files.createTempDirectory("hub-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
