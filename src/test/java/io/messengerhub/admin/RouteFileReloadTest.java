package io.messengerhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.AdminClient;
import io.messengerhub.support.HubSystemTest;
import org.apache.camel.CamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An admin reloads a route file: the exchange in flight completes on the old route, the next one takes the new; a
 * file that does not pass is refused with its line and the old route goes on; a file other routes are built from
 * needs a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteFileReloadTest extends HubSystemTest {

    private static final Path ROUTES = newDataDir().resolve("reloadable.camel.yaml");

    static {
        write(answer("v1"));
    }

    @DynamicPropertySource
    static void reloadableRoutes(DynamicPropertyRegistry registry) {
        AdminClient.register(registry, 0);
        registry.add("camel.main.routes-include-pattern", () -> "file:routes/*.camel.yaml,file:" + ROUTES);
    }

    @Autowired
    CamelContext camel;

    private AdminClient admin;

    @BeforeEach
    void adminLogsIn() {
        admin = new AdminClient(port, AdminClient.ADMIN, AdminClient.PASSWORD);
    }

    @Test
    @Order(1)
    void shouldLetTheExchangeInFlightCompleteOnTheOldRouteAndTheNextTakeTheNew() throws Exception {
        assertThat(answer(0)).isEqualTo("v1");
        JsonNode listed = readJson(admin.get("/admin/routes").body());
        assertThat(listed.findValuesAsText("file")).contains("reloadable.camel.yaml", "webhook.camel.yaml");

        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/answer?wait=2000")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        // The request is on the route before the file changes, however slow the machine.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size("test-answer") == 1);
        write(answer("v2"));
        var reloaded = admin.post("/admin/routes/reload", "{\"file\": \"reloadable.camel.yaml\"}");

        assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
        assertThat(readJson(reloaded.body()).path("stopped").toString()).isEqualTo("[\"test-answer\"]");
        // The reload waited for the exchange in flight, which completed on the route it started on.
        assertThat(camel.getInflightRepository().size("test-answer")).isZero();
        HttpResponse<String> completed = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(completed.statusCode()).isEqualTo(200);
        assertThat(completed.body()).isEqualTo("v1");
        assertThat(answer(0)).isEqualTo("v2");
        assertThat(readJson(admin.get("/admin/audit").body()).findValuesAsText("action")).contains("routes.reload");
    }

    @Test
    @Order(2)
    void shouldRefuseAFileThatDoesNotPassWithItsLineAndKeepTheRouteInForce() {
        write(answer("v3").replace("        - setBody:", "        - setBodyy:"));
        var refused = admin.post("/admin/routes/reload", "{\"file\": \"reloadable.camel.yaml\"}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(readJson(refused.body()).path("reason").asText()).contains("reloadable.camel.yaml:" + lineOf("setBodyy"))
                .contains("setBodyy");
        assertThat(answer(0)).isEqualTo("v2");
    }

    @Test
    @Order(3)
    void shouldSendFilesOtherRoutesAreBuiltFromToARestartAndNameTheLoadedOnes() {
        var rest = admin.post("/admin/routes/reload", "{\"file\": \"admin.camel.yaml\"}");
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(409);
        assertThat(readJson(rest.body()).path("reason").asText()).contains("restart");
        var unknown = admin.post("/admin/routes/reload", "{\"file\": \"../../etc/passwd\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(readJson(unknown.body()).path("reason").asText()).contains("webhook.camel.yaml");
        assertThat(new AdminClient(port, null, null).post("/admin/routes/reload", "{\"file\": \"reloadable.camel.yaml\"}")
                .statusCode()).isEqualTo(401);
    }

    private String answer(int wait) {
        var response = facebook.get("/test/answer?wait=" + wait);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String answer(String version) {
        return """
                - route:
                    id: test-answer
                    description: Answers with its version, after the wait asked for
                    from:
                      uri: platform-http:/test/answer
                      parameters:
                        httpMethodRestrict: GET
                      steps:
                        - delay:
                            simple: "${header.wait}"
                        - removeHeaders:
                            pattern: "*"
                        - setBody:
                            constant: "%s"
                """.formatted(version);
    }

    private static int lineOf(String text) {
        try {
            var lines = Files.readAllLines(ROUTES);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
            throw new AssertionError(text + " not in " + ROUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String routes) {
        try {
            Files.writeString(ROUTES, routes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
