package io.messengerhub.customer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.HubSystemTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * An integration team replaces routes/crm.camel.yaml with routes that call their CRM's REST API (here a local
 * stand-in): no Java changes, and the pipeline offers conversations with the customer from that CRM.
 */
@TestPropertySource(properties = "camel.main.routes-include-pattern="
        + "file:routes/webhook.camel.yaml,file:routes/conversation-processing.camel.yaml,"
        + "file:routes/conversations-api.camel.yaml,file:routes/operations.camel.yaml,file:routes/error-handling.camel.yaml,"
        + "file:routes/facebook-graph.camel.yaml,file:routes/events.camel.yaml,"
        + "classpath:swapped-routes/crm-over-http.camel.yaml")
class CrmRouteSwapTest extends HubSystemTest {

    static final WireMockServer REST_CRM = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        REST_CRM.start();
    }

    @DynamicPropertySource
    static void restCrm(DynamicPropertyRegistry registry) {
        registry.add("crm.rest.url", () -> "http://127.0.0.1:" + REST_CRM.port() + "/crm");
    }

    @Autowired
    CamelContext camel;

    @Test
    void shouldOfferTheCustomerFromTheSwappedInCrmRoutes() {
        String psid = unique("psid");
        REST_CRM.stubFor(get(urlPathEqualTo("/crm/contacts")).withQueryParam("psid", equalTo(psid))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"contactId\":\"SF-0031\",\"firstName\":\"Rest\",\"lastName\":\"Ful\",\"vip\":\"yes\",\"tier\":\"enterprise\"}")));
        REST_CRM.stubFor(get(urlPathEqualTo("/crm/contacts/SF-0031/cases"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("[{\"caseId\":\"5003\",\"title\":\"Renewal\",\"status\":\"open\"}]")));

        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "Hi"))));

        JsonNode offer = awaitOffers("sales", psid, 1).get(0);
        assertThat(camel.getRoute("crm-find-contact").getSourceResource().getLocation()).contains("crm-over-http");
        assertThat(offer.path("customerDataIncomplete").asBoolean()).isFalse();
        assertThat(offer.path("customer").path("contactId").asText()).isEqualTo("SF-0031");
        assertThat(offer.path("customer").path("firstName").asText()).isEqualTo("Rest");
        assertThat(offer.path("customer").path("vip").asBoolean()).isTrue();
        assertThat(offer.path("customer").path("openCases").get(0).path("title").asText()).isEqualTo("Renewal");
    }
}
