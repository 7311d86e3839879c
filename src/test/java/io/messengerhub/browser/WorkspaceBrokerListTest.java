package io.messengerhub.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.Browsers;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A workspace told two broker URLs (a live broker and its backup, hub.broker.websocket-url) goes round them: here the
 * first one has no broker behind it, as when the live broker has died, and the page logs in through the second.
 */
class WorkspaceBrokerListTest extends HubSystemTest {

    private static String dead;
    private static String alive;

    @DynamicPropertySource
    static void twoBrokerUrls(DynamicPropertyRegistry registry) {
        TestAgents.register(registry);
        alive = TestAgents.registerWebSocket(registry);
        dead = "ws://127.0.0.1:" + TestAgents.freePort();
        registry.add("hub.broker.websocket-url", () -> dead + ", " + alive);
    }

    @Test
    void shouldLogInThroughTheBackupWhenTheFirstBrokerDoesNotAnswer() {
        JsonNode settings = readJson(facebook.get("/workspace/settings.json").body());
        assertThat(settings.path("brokerUrls").toString()).isEqualTo("[\"" + dead + "\",\"" + alive + "\"]");
        assertThat(settings.path("brokerUrl").asText()).isEqualTo(dead);
        assertThat(facebook.get("/workspace/").headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("connect-src 'self' " + dead + " " + alive + ";"));

        var chromium = Browsers.chromium();
        try {
            var page = new WorkspaceScreen(chromium, "http://127.0.0.1:" + port);
            page.logIn("anna", "pw-anna");
            page.choosePresence("AVAILABLE");

            page.waitForText(By.id("capacity"), "Capacity used: 0 of 2");
        } finally {
            chromium.quit();
        }
    }
}
