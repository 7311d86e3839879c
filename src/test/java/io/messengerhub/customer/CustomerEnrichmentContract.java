package io.messengerhub.customer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.IntegrationEvents;
import io.messengerhub.support.WebhookClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * Customer enrichment against a real CRM database and a local stand-in for the Graph API. Runs once per CRM
 * database (H2 and PostgreSQL) through its subclasses.
 */
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=" + CustomerEnrichmentContract.PAGE_TOKEN,
        "hub.crm.retry-initial-delay=200ms",
        "hub.crm.retry-interval=200",
        "hub.facebook.graph-response-timeout=800",
})
abstract class CustomerEnrichmentContract extends HubSystemTest {

    static final String PAGE_TOKEN = "test-page-token";
    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final AtomicLong PSIDS = new AtomicLong(System.currentTimeMillis() * 1000);

    static {
        GRAPH.start();
    }

    @DynamicPropertySource
    static void graphApi(DynamicPropertyRegistry registry) {
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    @Autowired
    @Qualifier("crmDataSource")
    DataSource crmDataSource;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    MeterRegistry meters;

    /** The real CRM directory, its calls counted. */
    @MockitoSpyBean
    CrmDirectory crmDirectory;

    JdbcClient crm;
    IntegrationEvents integrationEvents;

    @BeforeEach
    void subscribeAsACrm() throws Exception {
        crm = JdbcClient.create(crmDataSource);
        integrationEvents = new IntegrationEvents(connectionFactory, "contact-center.events", json);
    }

    @AfterEach
    void unsubscribe() throws Exception {
        integrationEvents.close();
    }

    @Test
    void shouldNotAskTheCrmAgainForTheNewCustomerOfAWebhookRecordedOnItsOwnAfterItsBatchFailed() {
        String known = newPsid();
        String newcomer = newPsid();
        for (String psid : List.of(known, newcomer)) {
            crm.sql("insert into contact (id, facebook_psid, first_name, last_name) values (:id, :psid, 'Once', 'Asked')")
                    .param("id", "O-" + psid).param("psid", psid).update();
        }
        String knownFirst = text(SALES_PAGE, known, "m-" + known, "First");
        facebook.postSigned(webhook(entry(SALES_PAGE, knownFirst)));
        awaitOffers("sales", known, 1);
        awaitMessages(known, 1);
        double duplicatesBefore = duplicateMessages();

        // Facebook sends the known customer's message again, in one webhook with a new customer's first message: the
        // re-sent message fails the batch's transaction, and the hub records the webhook again on its own.
        facebook.postSigned(webhook(entry(SALES_PAGE, knownFirst, text(SALES_PAGE, newcomer, "m-" + newcomer, "Hello"))));

        JsonNode offer = awaitOffers("sales", newcomer, 1).get(0);
        assertThat(offer.path("customer").path("contactId").asText()).isEqualTo("O-" + newcomer);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> duplicateMessages() > duplicatesBefore);
        assertThat(messagesOf(known)).isEqualTo(1);
        // Once by the batch; the webhook recorded on its own used what the batch had found.
        verify(crmDirectory, times(1)).findByPsid(eq(SALES_PAGE), eq(newcomer), any(Duration.class));
    }

    /** Re-sent messages found in the journal: counted only when a webhook's events are recorded one by one. */
    private double duplicateMessages() {
        var counter = meters.find("hub.events.duplicates").tag("kind", "message").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldOfferAKnownCustomerWithTheCrmContactAndOpenCases() {
        String psid = newPsid();
        crm.sql("insert into contact (id, facebook_psid, first_name, last_name, email, language, tier, vip) "
                        + "values (:id, :psid, 'Jürgen', 'Groß', 'j.gross@example.com', 'de_DE', 'gold', true)")
                .param("id", "K-" + psid).param("psid", psid).update();
        crm.sql("insert into crm_case (id, contact_id, title, status) values (:id, :contact, 'Broken zip', 'open')")
                .param("id", "CS-" + psid).param("contact", "K-" + psid).update();

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hallo"))));

        JsonNode offer = awaitOffers("sales", psid, 1).get(0);
        JsonNode customer = offer.path("customer");
        assertThat(offer.path("customerDataIncomplete").asBoolean()).isFalse();
        assertThat(customer.path("contactId").asText()).isEqualTo("K-" + psid);
        assertThat(customer.path("firstName").asText()).isEqualTo("Jürgen");
        assertThat(customer.path("lastName").asText()).isEqualTo("Groß");
        assertThat(customer.path("vip").asBoolean()).isTrue();
        assertThat(customer.path("tier").asText()).isEqualTo("gold");
        assertThat(customer.path("source").asText()).isEqualTo("crm");
        assertThat(customer.path("openCases").get(0).path("title").asText()).isEqualTo("Broken zip");
        GRAPH.verify(0, getRequestedFor(urlPathEqualTo("/v21.0/" + psid)));
        JsonNode conversation = conversationOf(psid);
        assertThat(conversation.path("contactId").asText()).isEqualTo("K-" + psid);
        assertThat(conversation.path("customer").path("email").asText()).isEqualTo("j.gross@example.com");
        assertThat(integrationEvents(psid, "conversation.opened")).isEqualTo(1);
    }

    @Test
    void shouldFetchTheProfileOfAnUnknownCustomerCreateTheContactAndRecogniseThemNextTime() {
        String psid = newPsid();
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).withHeader("Authorization", equalTo("Bearer " + PAGE_TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"first_name\":\"Zoë\",\"last_name\":\"Okafor\",\"locale\":\"en_GB\",\"timezone\":1,"
                                + "\"profile_pic\":\"https://scontent.xx.fbcdn.net/p.jpg\",\"id\":\"" + psid + "\"}")));

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m1-" + psid, "Hi"))));

        JsonNode customer = awaitOffers("sales", psid, 1).get(0).path("customer");
        assertThat(customer.path("firstName").asText()).isEqualTo("Zoë");
        assertThat(customer.path("locale").asText()).isEqualTo("en_GB");
        assertThat(customer.path("timezone").asDouble()).isEqualTo(1.0);
        assertThat(customer.path("source").asText()).isEqualTo("facebook-profile");
        String contactId = customer.path("contactId").asText();
        assertThat(contactId).startsWith("FB-");
        assertThat(crm.sql("select first_name from contact where facebook_psid = :psid and id = :id")
                .param("psid", psid).param("id", contactId).query(String.class).single()).isEqualTo("Zoë");

        String first = conversationOf(psid).path("id").asText();
        assertThat(close(first).statusCode()).isEqualTo(200);
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "Me again", 1_770_000_000_000L))));

        JsonNode secondOffer = awaitOffers("sales", psid, 2).stream()
                .filter(o -> !o.path("conversationId").asText().equals(first)).findFirst().orElseThrow();
        assertThat(secondOffer.path("customer").path("source").asText()).isEqualTo("crm");
        assertThat(secondOffer.path("customer").path("contactId").asText()).isEqualTo(contactId);
        GRAPH.verify(1, getRequestedFor(urlPathEqualTo("/v21.0/" + psid)));

        // The CRM forgets the contact: the profile comes from the hub's cache, not from a second Graph call.
        crm.sql("delete from contact where id = :id").param("id", contactId).update();
        String second = secondOffer.path("conversationId").asText();
        assertThat(close(second).statusCode()).isEqualTo(200);
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m3-" + psid, "Third time", 1_780_000_000_000L))));
        JsonNode thirdOffer = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> awaitOffers("sales", psid, 1).stream()
                .filter(o -> !List.of(first, second).contains(o.path("conversationId").asText())).findFirst().orElse(null), o -> o != null);
        assertThat(thirdOffer.path("customer").path("firstName").asText()).isEqualTo("Zoë");
        GRAPH.verify(1, getRequestedFor(urlPathEqualTo("/v21.0/" + psid)));
    }

    @Test
    void shouldLinkAConversationToAnExistingContactAndRecogniseTheCustomerNextTime() {
        String psid = newPsid();
        String contactId = "L-" + psid;
        crm.sql("insert into contact (id, first_name, last_name, tier) values (:id, 'Lena', 'Fischer', 'silver')")
                .param("id", contactId).update();
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(noProfile()));
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m1-" + psid, "Hello"))));
        JsonNode offer = awaitOffers("sales", psid, 1).get(0);
        assertThat(offer.path("customer").path("source").asText()).isEqualTo("anonymous");
        String conversationId = offer.path("conversationId").asText();

        var linked = post("/api/conversations/" + conversationId + "/link", "{\"contactId\":\"" + contactId + "\"}");

        assertThat(linked.statusCode()).isEqualTo(200);
        assertThat(readJson(linked.body()).path("customer").path("firstName").asText()).isEqualTo("Lena");
        assertThat(crm.sql("select facebook_psid from contact where id = :id").param("id", contactId)
                .query(String.class).single()).isEqualTo(psid);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> integrationEvents.of("conversation.linked", conversationId).size() == 1);
        assertThat(integrationEvents.of("conversation.linked", conversationId).get(0).path("contactId").asText()).isEqualTo(contactId);
        JsonNode update = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> offersFor("sales", psid).stream()
                .filter(m -> m.path("type").asText().equals("conversation.customer-updated")).findFirst().orElse(null), u -> u != null);
        assertThat(update.path("customer").path("contactId").asText()).isEqualTo(contactId);

        assertThat(close(conversationId).statusCode()).isEqualTo(200);
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "Back", 1_770_000_000_000L))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> offersFor("sales", psid).stream()
                .anyMatch(o -> o.path("type").asText().equals("conversation.offered")
                        && contactId.equals(o.path("customer").path("contactId").asText())));
    }

    @Test
    void shouldRefuseLinkingToAContactThatDoesNotExistOrWithoutAContactId() {
        String psid = newPsid();
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(noProfile()));
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello"))));
        String conversationId = awaitOffers("sales", psid, 1).get(0).path("conversationId").asText();

        assertThat(post("/api/conversations/" + conversationId + "/link", "{\"contactId\":\"NO-SUCH\"}").statusCode()).isEqualTo(404);
        assertThat(post("/api/conversations/" + conversationId + "/link", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/api/conversations/unknown/link", "{\"contactId\":\"C-1003\"}").statusCode()).isEqualTo(404);
        assertThat(crm.sql("select count(*) from contact where facebook_psid = :psid").param("psid", psid)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void shouldKeepACustomerWithoutFacebookProfileAnonymousAndComplete() {
        String psid = newPsid();
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(noProfile()));

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello"))));

        JsonNode offer = awaitOffers("sales", psid, 1).get(0);
        assertThat(offer.path("customer").path("source").asText()).isEqualTo("anonymous");
        assertThat(offer.path("customerDataIncomplete").asBoolean()).isFalse();
        assertThat(retriesFor(offer.path("conversationId").asText())).isZero();
        assertThat(crm.sql("select count(*) from contact where facebook_psid = :psid").param("psid", psid)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void shouldOfferWithIncompleteDataWhenFacebookRejectsThePageToken() {
        String psid = newPsid();
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Error validating access token\",\"type\":\"OAuthException\",\"code\":190}}")));

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello"))));

        JsonNode offer = awaitOffers("sales", psid, 1).get(0);
        assertThat(offer.path("customerDataIncomplete").asBoolean()).isTrue();
        String conversationId = offer.path("conversationId").asText();
        assertThat(jdbc.sql("select last_error from enrichment_retry where conversation_id = :id").param("id", conversationId)
                .query(String.class).optional()).hasValueSatisfying(error -> assertThat(error).contains("190"));
    }

    @Test
    void shouldCompleteTheCustomerAndSendTheUpdateOnceTheGraphApiRecovers() {
        String psid = newPsid();
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(aResponse().withStatus(503).withBody("down")));

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello"))));
        JsonNode offer = awaitOffers("sales", psid, 1).get(0);
        assertThat(offer.path("customerDataIncomplete").asBoolean()).isTrue();
        String conversationId = offer.path("conversationId").asText();

        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"first_name\":\"Ada\",\"last_name\":\"Byron\"}")));

        JsonNode update = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> offersFor("sales", psid).stream()
                .filter(m -> m.path("type").asText().equals("conversation.customer-updated")).findFirst().orElse(null), u -> u != null);
        assertThat(update.path("conversationId").asText()).isEqualTo(conversationId);
        assertThat(update.path("customer").path("firstName").asText()).isEqualTo("Ada");
        assertThat(update.path("customerDataIncomplete").asBoolean()).isFalse();
        assertThat(conversationOf(psid).path("customerDataIncomplete").asBoolean()).isFalse();
        assertThat(retriesFor(conversationId)).isZero();
    }

    @Test
    void shouldCloseOnceAndTellIntegrations() {
        String psid = newPsid();
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(noProfile()));
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hello"))));
        String conversationId = awaitOffers("sales", psid, 1).get(0).path("conversationId").asText();

        var closed = close(conversationId);

        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(readJson(closed.body()).path("state").asText()).isEqualTo("CLOSED");
        assertThat(close(conversationId).statusCode()).isEqualTo(409);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> integrationEvents.of("conversation.closed", conversationId).size() == 1);
        assertThat(facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations/" + conversationId + "/close"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(401);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder noProfile() {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"No profile available for this user.\",\"type\":\"OAuthException\","
                        + "\"code\":100,\"error_subcode\":2018218}}");
    }

    private static String newPsid() {
        return String.valueOf(PSIDS.incrementAndGet());
    }

    private JsonNode conversationOf(String psid) {
        return readJson(facebook.getApi("/api/conversations?psid=" + psid, WebhookClient.API_TOKEN).body()).get(0);
    }

    private java.net.http.HttpResponse<String> close(String conversationId) {
        return post("/api/conversations/" + conversationId + "/close", "");
    }

    private java.net.http.HttpResponse<String> post(String path, String body) {
        return facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private int retriesFor(String conversationId) {
        return jdbc.sql("select count(*) from enrichment_retry where conversation_id = :id").param("id", conversationId)
                .query(Integer.class).single();
    }

    private long integrationEvents(String psid, String type) {
        String conversationId = conversationOf(psid).path("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !integrationEvents.of(type, conversationId).isEmpty());
        return integrationEvents.of(type, conversationId).size();
    }
}
