package io.messengerhub.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.Browsers;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The agents' workspace page at /workspace/: served to anybody with the headers of a page that takes passwords,
 * told where the broker's WebSocket is, and, in a real Chromium, logging an agent in and setting its presence.
 */
class WorkspacePageTest extends HubSystemTest {

    private static String webSocket;

    @DynamicPropertySource
    static void agentsAndBroker(DynamicPropertyRegistry registry) {
        TestAgents.register(registry);
        webSocket = TestAgents.registerWebSocket(registry);
    }

    @Test
    void shouldServeThePageToAnybodyWithTheHeadersOfAPageThatTakesPasswords() {
        var page = facebook.get("/workspace/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<form id=\"login-form\"");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'; img-src 'self' blob:; connect-src 'self' "
                + webSocket + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        var bare = facebook.get("/workspace");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/workspace/"));
    }

    @Test
    void shouldServeTheSupervisorPageAlikeAndTellItWhereTheEventsAre() {
        var page = facebook.get("/supervisor/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form id=\"login-form\"").contains("<title>Supervisor</title>");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'; img-src 'self' blob:; connect-src 'self' "
                + webSocket + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(facebook.get("/supervisor").headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/supervisor/"));
        JsonNode settings = readJson(facebook.get("/supervisor/settings.json").body());
        assertThat(settings.path("brokerUrls").get(0).asText()).isEqualTo(webSocket);
        assertThat(settings.path("events").asText()).isEqualTo("/topic/contact-center.events");
        // The API under it is no page: a JSON refusal without a login, and no page headers.
        var api = facebook.get("/supervisor/api/floor");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("Content-Security-Policy")).isEmpty();
    }

    @Test
    void shouldTellThePageWhereTheBrokerIsAndServeTheStompClientItImports() {
        JsonNode settings = readJson(facebook.get("/workspace/settings.json").body());

        assertThat(settings.path("brokerUrl").asText()).isEqualTo(webSocket);
        assertThat(settings.path("inboxPrefix").asText()).isEqualTo("/queue/contact-center.agents.");
        assertThat(settings.path("commands").asText()).isEqualTo("/queue/contact-center.commands");
        assertThat(settings.path("files").asText()).isEqualTo("/queue/contact-center.files");
        // Reached by name, the same name in the URL the page gets.
        var byName = facebook.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/workspace/settings.json")).build());
        assertThat(readJson(byName.body()).path("brokerUrl").asText()).isEqualTo(webSocket.replace("127.0.0.1", "localhost"));
        String script = facebook.get("/workspace/js/app.js").body();
        var imported = Pattern.compile("from \"(/webjars/[^\"]+)\"").matcher(script);
        assertThat(imported.find()).isTrue();
        var module = facebook.get(imported.group(1));
        assertThat(module.statusCode()).as(imported.group(1)).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    }

    @Test
    void shouldLogAnAgentInThroughThePageAndSetItsPresence() {
        var chromium = Browsers.chromium();
        try {
            var page = new WorkspaceScreen(chromium, "http://127.0.0.1:" + port);
            page.logIn("anna", "pw-anna");
            page.choosePresence("AVAILABLE");

            page.waitForText(By.id("capacity"), "Capacity used: 0 of 2");
            assertThat(presenceOf("anna")).isEqualTo("AVAILABLE");
        } finally {
            chromium.quit();
        }
    }

    @Test
    void shouldRefuseAWrongPasswordOnThePage() {
        var chromium = Browsers.chromium();
        try {
            var page = new WorkspaceScreen(chromium, "http://127.0.0.1:" + port);
            page.open();
            chromium.findElement(By.id("login-agent")).sendKeys("anna");
            chromium.findElement(By.id("login-password")).sendKeys("wrong");
            chromium.findElement(By.cssSelector("#login-form button[type=submit]")).click();

            page.waitForText(By.id("login-error"), "Login failed");
            assertThat(chromium.findElement(By.id("workspace")).isDisplayed()).isFalse();
        } finally {
            chromium.quit();
        }
    }
}
