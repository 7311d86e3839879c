package io.messengerhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.RestRegistry;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The HTTP API is what its REST DSL declaration says: the OpenAPI document the hub serves lists exactly the endpoints
 * the hub serves, and requests that do not fit the declaration are refused by Camel, in the API's error JSON.
 */
class ApiContractTest extends HubSystemTest {

    @Autowired
    CamelContext camel;

    @Test
    void shouldServeAnOpenApiDocumentOfExactlyTheEndpointsTheHubServes() {
        var response = facebook.get("/api/openapi.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode document = readJson(response.body());
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("info").path("title").asText()).isEqualTo("Messenger Hub API");
        Set<String> documented = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(documented).isEqualTo(served()).isEqualTo(declared()).hasSizeGreaterThanOrEqualTo(12);
        // Every operation says who may call it and what a refusal looks like.
        document.path("paths").forEach(path -> path.forEach(operation -> {
            String scheme = switch (operation.path("tags").path(0).asText()) {
                case "admin" -> "adminLogin";
                case "supervisor" -> "supervisorLogin";
                case "logins" -> "anyLogin";
                default -> "apiToken";
            };
            assertThat(operation.path("security").findValues(scheme)).as(operation.path("operationId").asText()).isNotEmpty();
            assertThat(operation.path("responses").path("401").path("content").path("application/json").path("schema").path("$ref").asText())
                    .as(operation.path("operationId").asText()).isEqualTo("#/components/schemas/ApiError");
        }));
        assertThat(document.path("components").path("securitySchemes").path("apiToken").path("scheme").asText())
                .isEqualToIgnoringCase("bearer");
        assertThat(document.path("components").path("schemas").path("ApiError").path("properties").has("reason")).isTrue();
    }

    @Test
    void shouldNameTheServerAsTheCallerReachedIt() {
        JsonNode direct = readJson(facebook.get("/api/openapi.json").body());
        JsonNode proxied = readJson(facebook.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/openapi.json"))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "hub.example.com").GET().build()).body());

        // Relative: wherever the caller reached the hub.
        assertThat(direct.path("servers").findValuesAsText("url")).containsExactly("");
        assertThat(proxied.path("servers").findValuesAsText("url")).containsExactly("https://hub.example.com");
    }

    @Test
    void shouldRefuseAFormOrOtherNonJsonBodyWith415InTheApisErrorJson() {
        for (String path : List.of("/api/erasures", "/api/conversations/any/link", "/api/conversations/any/close")) {
            for (var form : List.of(new String[] {"application/x-www-form-urlencoded", "psid=12345"},
                    new String[] {"application/x-www-form-urlencoded", "{\"psid\": \"12345\"}"},
                    new String[] {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"psid\"\r\n\r\n12345\r\n--b--\r\n"},
                    new String[] {"multipart/form-data; boundary=b", "{\"psid\": \"12345\"}"},
                    new String[] {"text/plain", "{\"psid\": \"12345\"}"})) {
                var response = post(path, form[0], form[1]);

                assertThat(response.statusCode()).as(path + " " + form[0]).isEqualTo(415);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
                JsonNode body = readJson(response.body());
                assertThat(body.path("error").asText()).isEqualTo("unsupported_media_type");
                assertThat(body.path("reason").asText()).contains("Content-Type: application/json");
            }
        }
    }

    @Test
    void shouldRefuseAMissingRequiredQueryParameterWith400InTheApisErrorJson() {
        var response = facebook.getApi("/api/conversations", WebhookClient.API_TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(readJson(response.body())).isEqualTo(readJson("{\"error\":\"bad_request\",\"reason\":\"query parameter psid is required\"}"));
        // What the caller sent does not come back as headers of the answer.
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void shouldRefuseABodyThatIsNotJsonWith400InTheApisErrorJsonWithOrWithoutContentType() {
        var answers = new ArrayList<HttpResponse<String>>();
        for (String body : List.of("psid=12345", "{\"psid\": ", "{'psid': 'x'}")) {
            answers.add(post("/api/erasures", "application/json", body));
            answers.add(post("/api/erasures", null, body));
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(readJson(answer.body())).isEqualTo(readJson("{\"error\":\"bad_request\",\"reason\":\"the body is not valid JSON\"}"));
        });
    }

    @Test
    void shouldLeaveJsonOfTheWrongShapeToTheEndpointWhichRefusesItWith400() {
        for (String body : List.of("[]", "\"C-1001\"", "42", "null", "{\"contactId\": {\"id\": \"C-1001\"}}", "{\"contactId\": [\"C-1001\"]}")) {
            var answer = post("/api/conversations/any/link", "application/json", body);

            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(readJson(answer.body()).path("reason").asText()).as(body).isEqualTo("body must be {\"contactId\": \"...\"}");
        }
    }

    /** "GET /api/conversations/{id}/messages" for each REST endpoint the hub's HTTP server has. */
    private Set<String> served() {
        return camel.getRestRegistry().listAllRestServices().stream()
                .map(Endpoints::of).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The same from the REST DSL declaration in routes/. */
    private Set<String> declared() {
        Set<String> declared = new TreeSet<>();
        for (RestDefinition rest : camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                declared.add(verb.asVerb().toUpperCase(Locale.ROOT) + " " + Endpoints.join(rest.getPath(), verb.getPath()));
            }
        }
        return declared;
    }

    private HttpResponse<String> post(String path, String contentType, String body) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return facebook.send(request.build());
    }

    private static final class Endpoints {

        static String of(RestRegistry.RestService service) {
            return service.getMethod().toUpperCase(Locale.ROOT) + " " + join(service.getBasePath(), service.getUriTemplate());
        }

        static String join(String base, String path) {
            String joined = (base == null ? "" : FileUtil.stripTrailingSeparator(base))
                    + (path == null ? "" : "/" + FileUtil.stripLeadingSeparator(path));
            return joined.endsWith("/") && joined.length() > 1 ? joined.substring(0, joined.length() - 1) : joined;
        }
    }
}
