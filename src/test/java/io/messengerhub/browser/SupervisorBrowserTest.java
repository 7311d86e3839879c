package io.messengerhub.browser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.AgentSession;
import io.messengerhub.support.Browsers;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The supervisor page in a real Chromium against the real hub, beside an agent in the workspace (a second Chromium)
 * and another on the real client over TCP: the supervisor sees a new conversation wait and the agent accept it, a
 * furious customer's alert appear and acknowledges it, monitors the chat live, consults the agent (who sees it in the
 * workspace and answers; the Send API hears nothing of it), assigns the conversation to the other agent and transfers
 * it to a queue. Nothing anyone wrote is ever taken for markup.
 */
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=supervisor-browser-page-token",
        "hub.agents.distribution-interval=200",
        "hub.agents.offer-timeout=90s",
        "hub.agents.queues[0].name=sales",
        "hub.agents.queues[1].name=billing",
        "hub.agents.queues[1].mode=pick",
        "hub.supervisor.waiting-threshold=1h",
})
class SupervisorBrowserTest extends HubSystemTest {

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final String ANGRY = "This is terrible, the worst service ever. I am furious and disgusted!!! 😡";
    /** Customer text that would run as script if it were ever taken for markup. */
    static final String HOSTILE = "<img src=x onerror='window.injected=true'> where is my parcel?";

    static {
        GRAPH.start();
    }

    private static TestAgents agents;

    @DynamicPropertySource
    static void agentsSupervisorBrokerAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        TestAgents.registerWebSocket(registry);
        TestAgents.registerSupervisor(registry, 0);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    @Test
    void shouldWatchTheFloorAcknowledgeAnAlertConsultTheAgentAndReassign() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_sb\"}")));
        ChromeDriver supervisorBrowser = Browsers.chromium();
        ChromeDriver annaBrowser = Browsers.chromium();
        AgentSession ben = agents.ben();
        try {
            supervisorBrowser.manage().window().setSize(new Dimension(1366, 900));
            annaBrowser.manage().window().setSize(new Dimension(1366, 768));
            var wait = new WebDriverWait(supervisorBrowser, Duration.ofSeconds(20));
            var anna = new WorkspaceScreen(annaBrowser, "http://127.0.0.1:" + port);
            anna.logIn("anna", "pw-anna");

            // The supervisor logs in with the supervisor's login; an agent's is refused on the page.
            supervisorBrowser.get("http://127.0.0.1:" + port + "/supervisor/");
            logIn(supervisorBrowser, "anna", "pw-anna");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "is not a supervisor"));
            supervisorBrowser.findElement(By.id("login-user")).clear();
            supervisorBrowser.findElement(By.id("login-password")).clear();
            logIn(supervisorBrowser, TestAgents.SUPERVISOR, TestAgents.SUPERVISOR_PASSWORD);
            wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connection", "connected"));

            // A new customer: the supervisor sees the conversation wait in sales, with anna's offer pending.
            String psid = unique("sb");
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, HOSTILE, now()))));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("waiting"), psid));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#queues [data-queue=sales] .waiting"), "1"));
            anna.choosePresence("AVAILABLE");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#queues [data-queue=sales] .offers"), "1"));
            String conversationId = jdbc.sql("select id from conversation where customer_psid = :psid").param("psid", psid)
                    .query(String.class).single();

            // Anna accepts in her workspace: the supervisor sees it Active in her row, and nobody waiting.
            anna.accept("where is my parcel?");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#agents [data-agent=anna]"), "Active"));
            assertThat(text(supervisorBrowser, "#agents [data-agent=anna] .capacity")).isEqualTo("1 / 2");
            assertThat(text(supervisorBrowser, "#agents [data-agent=anna] .presence")).isEqualTo("Busy");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("waiting"), "Nobody waits."));

            // The customer gets furious: the alert appears at once; acknowledged, it goes for every supervisor.
            customerWrites(psid, ANGRY);
            customerWrites(psid, ANGRY);
            By alert = By.cssSelector("#at-risk [data-risk=sentiment][data-conversation='" + conversationId + "']");
            wait.until(ExpectedConditions.visibilityOfElementLocated(alert));
            assertThat(WorkspaceScreen.textOf(supervisorBrowser, alert)).contains("Negative sentiment").contains("anna");
            screenshot(supervisorBrowser, "floor");
            press(supervisorBrowser, alert, "Acknowledge");
            wait.until(ExpectedConditions.invisibilityOfElementLocated(alert));
            assertThat(jdbc.sql("select acknowledged_by from supervisor_alert where conversation_id = :id and kind = 'SENTIMENT'")
                    .param("id", conversationId).query(String.class).single()).isEqualTo(TestAgents.SUPERVISOR);

            // Monitoring: the chat read-only, live as the customer writes on.
            press(supervisorBrowser, By.cssSelector("#agents [data-agent=anna]"), "Monitor Customer " + psid);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("monitor"), "where is my parcel?"));
            assertThat(text(supervisorBrowser, "#monitor .read-only")).contains("Read-only").contains("agent anna");
            customerWrites(psid, "Hello? Anyone there?");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#monitor .transcript"), "Anyone there?"));

            // Consult: anna sees it beside the chat and answers; the supervisor sees the answer; the customer nothing.
            inMonitor(supervisorBrowser, browser -> {
                var box = browser.findElement(By.id("consult-text"));
                box.clear();
                box.sendKeys("Offer a voucher, <b>10 %</b> off");
                browser.findElement(By.cssSelector(".consult-form button[type=submit]")).click();
            });
            anna.waitForText(By.cssSelector(".session .consult"), "Offer a voucher, <b>10 %</b> off");
            assertThat(annaBrowser.findElement(By.cssSelector(".session .consult")).getText()).contains("sam (supervisor)");
            annaBrowser.findElement(By.id("consult-answer")).sendKeys("Will do, thanks");
            annaBrowser.findElement(By.cssSelector(".consult-answer button[type=submit]")).click();
            anna.waitForText(By.cssSelector(".session .consult"), "anna (you)");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#monitor .consult"), "Will do, thanks"));
            anna.screenshot("consult");
            screenshot(supervisorBrowser, "monitor");
            GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).withRequestBody(containing("voucher")));
            GRAPH.verify(0, postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).withRequestBody(containing("Will do")));

            // Reassign to ben (on the TCP client): anna's session goes with a notice, ben gets the conversation.
            ben.result(ben.client().setPresence("AVAILABLE"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#agents [data-agent=ben] .presence"), "Available"));
            inMonitor(supervisorBrowser, browser -> {
                new Select(browser.findElement(By.id("assign-agent"))).selectByValue("ben");
                browser.findElement(By.cssSelector(".assign-form button[type=submit]")).click();
            });
            ben.await("conversation.assigned", m -> conversationId.equals(m.path("conversation").path("id").asText()));
            anna.waitForText(By.id("notices"), "A supervisor took the conversation over (ben)");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> anna.tabs().size() == 1);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#agents [data-agent=ben]"), "Active"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#monitor .read-only"), "agent ben"));

            // Transfer to billing: it waits there, ben is told.
            inMonitor(supervisorBrowser, browser -> {
                new Select(browser.findElement(By.id("transfer-to"))).selectByValue("billing");
                browser.findElement(By.cssSelector(".transfer-form button[type=submit]")).click();
            });
            ben.await("conversation.reassigned", m -> conversationId.equals(m.path("conversationId").asText()));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#queues [data-queue=billing] .waiting"), "1"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("waiting"), "billing"));
            assertThat(jdbc.sql("select state || ' ' || queue from conversation where id = :id").param("id", conversationId)
                    .query(String.class).single()).isEqualTo("OPEN billing");

            // The customer's markup stayed text on both pages.
            assertThat(supervisorBrowser.executeScript("return window.injected === true")).isEqualTo(false);
            assertThat(annaBrowser.executeScript("return window.injected === true")).isEqualTo(false);
            assertThat(supervisorBrowser.findElements(By.cssSelector("#monitor img, #floor b"))).isEmpty();
            assertThat(supervisorBrowser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .isEqualTo(true);
            // Every control of the supervisor page says what it is.
            assertThat(new WorkspaceScreen(supervisorBrowser, "http://127.0.0.1:" + port).controlsWithoutName()).isEmpty();
        } finally {
            ben.leave();
            new WorkspaceScreen(annaBrowser, "http://127.0.0.1:" + port).choosePresence("OFFLINE");
            supervisorBrowser.quit();
            annaBrowser.quit();
        }
    }

    private static void logIn(ChromeDriver browser, String user, String password) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.elementToBeClickable(By.id("login-user")));
        browser.findElement(By.id("login-user")).sendKeys(user);
        browser.findElement(By.id("login-password")).sendKeys(password);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    }

    /** Clicks the button named {@code label} under {@code where}; the floor is redrawn often, so it is found afresh. */
    private static void press(ChromeDriver browser, By where, String label) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            WebElement scope = browser.findElement(where);
            scope.findElement(By.xpath(".//button[@aria-label='" + label + "' or normalize-space(.)='" + label + "']")).click();
            return true;
        });
    }

    /** Does something in the monitored conversation's panel, again if a redraw took the controls away meanwhile. */
    private static void inMonitor(ChromeDriver browser, java.util.function.Consumer<ChromeDriver> step) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                .until(() -> {
                    step.accept(browser);
                    return true;
                });
    }

    private static String text(ChromeDriver browser, String css) {
        // The page redraws its lists every few seconds and after events.
        return WorkspaceScreen.textOf(browser, By.cssSelector(css));
    }

    private void customerWrites(String psid, String text) {
        int before = messagesOf(psid);
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, unique("m"), text, now()))));
        awaitMessages(psid, before + 1);
    }

    /** Saves what the supervisor's screen shows as docs/supervisor/{name}.png, for the README. */
    private static void screenshot(ChromeDriver browser, String name) {
        WorkspaceScreen.screenshot(browser, "supervisor", name);
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
