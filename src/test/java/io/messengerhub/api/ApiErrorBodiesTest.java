package io.messengerhub.api;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import org.junit.jupiter.api.Test;

/**
 * Every error answer of the API is JSON written by the JSON library, whatever the caller put into the parameters it
 * echoes: quotes, newlines, backslashes and control characters stay inside the reason and add no field. Credentials
 * are taken from the Authorization header only.
 */
class ApiErrorBodiesTest extends HubSystemTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;

    private static final List<String> HOSTILE = List.of("say \"hi\"", "two\nlines\r\n", "back\\slash\\",
            "bell\u0007 nul\u0000 esc\u001b", "\",\"extra\":\"injected", "\\\",\"extra\":1,\"x\":\"", "</script><b>",
            "tab\there \u2028 \ud83d\ude21", "{\"nested\": [1, 2]}");

    @Test
    void shouldWriteEveryEchoedParameterIntoValidJsonWithoutAddingFields() {
        String psid = unique("psid");
        facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "for the link"))));
        awaitMessages(psid, 1);
        String conversationId = jdbc.sql("select id from conversation where customer_psid = :psid").param("psid", psid)
                .query(String.class).single();
        var answers = new ArrayList<Answer>();
        for (String value : HOSTILE) {
            String query = URLEncoder.encode(value, StandardCharsets.UTF_8);
            for (String parameter : List.of("from", "to", "limit")) {
                answers.add(get("/api/transcripts?q=x&" + parameter + "=" + query, value, true));
            }
            answers.add(get("/api/knowledge?q=x&limit=" + query, value, true));
            answers.add(get("/api/conversations?psid=" + query, value, false));
            if (!value.contains("\\") && !value.contains("/") && value.chars().noneMatch(c -> c < 0x20 && c != '\t')) {
                // A path segment reaches the route as it was sent, still percent-encoded.
                String segment = query.replace("+", "%20");
                answers.add(get("/api/conversations/" + segment + "/messages", segment, true));
                answers.add(get("/api/conversations/" + segment + "/notes", segment, true));
                answers.add(get("/api/knowledge/" + segment, segment, true));
                answers.add(post("/api/conversations/" + segment + "/close", "{}", segment, true));
            }
            answers.add(post("/api/conversations/" + conversationId + "/link",
                    json.createObjectNode().put("contactId", value).toString(), value, true));
            answers.add(post("/api/erasures", value, value, false));
            answers.add(post("/api/conversations/" + conversationId + "/link", value, value, false));
        }

        for (Answer answer : answers) {
            JsonNode body = readJson(answer.response.body());
            assertThat(answer.response.headers().firstValue("Content-Type")).as(answer.what)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            if (answer.response.statusCode() >= 400) {
                var fields = new ArrayList<String>();
                body.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).as(answer.what).isSubsetOf("error", "reason");
                assertThat(body.path("error").isTextual()).as(answer.what).isTrue();
                // The HTTP binding replaces line breaks in query values (they become headers); the rest comes back as sent.
                if (answer.echoed && answer.value.chars().noneMatch(c -> c == '\n' || c == '\r')) {
                    assertThat(body.path("reason").asText()).as(answer.what).contains(answer.value);
                }
            }
        }
        assertThat(answers).anySatisfy(a -> assertThat(a.response.statusCode()).isEqualTo(400));
        assertThat(answers).anySatisfy(a -> assertThat(a.response.statusCode()).isEqualTo(404));
    }

    @Test
    void shouldRefuseEveryApiEndpointWithoutCredentials() {
        // Authentication is declared once (route configurations api-token-auth and api-caller-auth): every route the
        // REST DSL made for an API endpoint must have taken one of them (from the direct: route Camel inlined into it).
        List<org.apache.camel.model.RouteDefinition> apiRoutes = camel.getCamelContextExtension()
                .getContextPlugin(org.apache.camel.model.Model.class).getRouteDefinitions().stream()
                .filter(route -> route.getInput().getEndpointUri().startsWith("rest:")).toList();
        assertThat(apiRoutes).hasSize(camel.getRestRegistry().size()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(apiRoutes.stream()
                .filter(route -> route.getRouteConfigurationId() == null || !(route.getRouteConfigurationId().contains("api-token-auth")
                        || route.getRouteConfigurationId().contains("api-caller-auth") || route.getRouteConfigurationId().contains("admin-auth")
                        || route.getRouteConfigurationId().contains("supervisor-auth")
                        || route.getRouteConfigurationId().contains("any-login-auth")))
                .map(route -> route.getRouteId()).toList()).as("API routes without authentication").isEmpty();

        String basicAgent = "Basic " + java.util.Base64.getEncoder().encodeToString("nobody:wrong".getBytes(StandardCharsets.UTF_8));
        for (String[] endpoint : new String[][] {{"GET", "/api/conversations?psid=1"}, {"GET", "/api/conversations/x/messages"},
                {"POST", "/api/conversations/x/close"}, {"POST", "/api/conversations/x/link"}, {"GET", "/api/attachments/x"},
                {"GET", "/api/conversations/x/notes"}, {"POST", "/api/erasures"}, {"GET", "/api/erasures"},
                {"GET", "/api/conversations/x/consent"}, {"GET", "/api/login"},
                {"GET", "/api/transcripts?q=x"}, {"GET", "/api/transcripts/x"}, {"GET", "/api/knowledge?q=x"},
                {"GET", "/api/knowledge/x"}, {"GET", "/admin/agents"}, {"POST", "/admin/agents"}, {"PUT", "/admin/agents/x"},
                {"DELETE", "/admin/agents/x"}, {"GET", "/admin/dead-letters/webhooks"}, {"GET", "/admin/audit"},
                {"POST", "/admin/dead-letters/webhooks/replay"}, {"GET", "/supervisor/api/floor"},
                {"GET", "/supervisor/api/conversations/x"}, {"POST", "/supervisor/api/conversations/x/consult"},
                {"POST", "/supervisor/api/conversations/x/assign"}, {"POST", "/supervisor/api/conversations/x/transfer"},
                {"POST", "/supervisor/api/alerts/1/acknowledge"}}) {
            // The API's bearer token is not an admin's or a supervisor's login.
            String apiToken = endpoint[1].startsWith("/api/") ? "Bearer wrong" : "Bearer " + WebhookClient.API_TOKEN;
            for (String authorization : new String[] {null, "Bearer wrong", basicAgent, apiToken}) {
                var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + endpoint[1]))
                        .header("Content-Type", "application/json")
                        .method(endpoint[0], endpoint[0].equals("POST") || endpoint[0].equals("PUT") ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody());
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                var response = send(request.build());
                assertThat(response.statusCode()).as(endpoint[0] + " " + endpoint[1] + " with " + authorization).isEqualTo(401);
                assertThat(readJson(response.body()).path("error").asText()).isEqualTo("unauthorized");
            }
        }
    }

    @Test
    void shouldRefuseCredentialsInTheUrl() {
        String token = URLEncoder.encode("Bearer " + WebhookClient.API_TOKEN, StandardCharsets.UTF_8);
        for (String query : List.of("Authorization=" + token, "authorization=" + token, "AUTHORIZATION=" + token,
                "access_token=" + WebhookClient.API_TOKEN, "%41uthorization=" + token)) {
            var response = facebook.get("/api/conversations?psid=1&" + query);

            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(readJson(response.body()).path("reason").asText()).contains("Authorization header");
        }
        // Even next to a valid header: a token in a URL is a leak to be fixed, not something to ignore.
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations?psid=1&Authorization=" + token))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).GET().build()).statusCode()).isEqualTo(400);
        assertThat(facebook.getApi("/api/conversations?psid=1", WebhookClient.API_TOKEN).statusCode()).isEqualTo(200);
    }

    private record Answer(String what, String value, boolean echoed, HttpResponse<String> response) {
    }

    private Answer get(String pathAndQuery, String value, boolean echoed) {
        return new Answer("GET " + pathAndQuery, value, echoed, facebook.getApi(pathAndQuery, WebhookClient.API_TOKEN));
    }

    private Answer post(String path, String body, String value, boolean echoed) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return new Answer("POST " + path + " " + body, value, echoed, send(request));
    }

    private HttpResponse<String> send(HttpRequest request) {
        return facebook.send(request);
    }
}
