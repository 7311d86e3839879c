package io.messengerhub.browser;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.attachments;
import static io.messengerhub.support.FacebookPayloads.delivery;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.file;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import javax.sql.DataSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.Browsers;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.TestFiles;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The agent workspace in a real Chromium against the real hub: a customer's webhook becomes a toast with a running
 * countdown, the agent accepts, reads, replies through the Send API (a local stand-in), sees the delivery mark,
 * sees a refused file as Dynamics 365 shows it, works a second customer in a second tab, ends and closes; another
 * agent sees none of it. Also the workspace's own logic tests, run in the same browser.
 */
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=workspace-page-token",
        "hub.agents.distribution-interval=200",
        "hub.agents.offer-timeout=90s",
        "hub.agents.queues[0].name=sales",
        "hub.agents.queues[1].name=billing",
        "hub.agents.queues[1].mode=pick",
})
class WorkspaceBrowserTest extends HubSystemTest {

    @Autowired
    EmbeddedActiveMQ broker;

    @Autowired
    @Qualifier("crmDataSource")
    DataSource crmDataSource;

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        GRAPH.start();
    }

    @DynamicPropertySource
    static void agentsBrokerAndGraph(DynamicPropertyRegistry registry) {
        TestAgents.register(registry);
        TestAgents.registerWebSocket(registry);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
        registry.add("hub.attachments.policy-file", WorkspaceBrowserTest::policyWithLocalCdn);
    }

    /** The shipped file policy, but customers' files come from a local stand-in of Facebook's CDN (127.0.0.3). */
    private static String policyWithLocalCdn() {
        try {
            String shipped = java.nio.file.Files.readString(java.nio.file.Path.of("config", "attachment-policy.yaml"));
            String local = shipped.replaceFirst("(?m)^  allowed-hosts: .*$", "  allowed-hosts: [127.0.0.3]")
                    .replaceFirst("(?m)^  private-address-hosts: .*$", "  private-address-hosts: [127.0.0.3]");
            assertThat(local).contains("allowed-hosts: [127.0.0.3]").contains("private-address-hosts: [127.0.0.3]");
            java.nio.file.Path file = java.nio.file.Files.createTempDirectory("workspace-policy-").resolve("attachment-policy.yaml");
            return java.nio.file.Files.writeString(file, local).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldPassTheWorkspacesOwnLogicTestsInTheBrowser() {
        var chromium = Browsers.chromium();
        try {
            chromium.get("http://127.0.0.1:" + port + "/workspace-tests/index.html");
            new WebDriverWait(chromium, Duration.ofSeconds(20))
                    .until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-done", "true"));
            String results = chromium.findElement(By.id("results")).getText();
            assertThat(chromium.findElement(By.tagName("body")).getAttribute("data-failures")).as(results).isEqualTo("0");
            assertThat(results).contains("ok   the countdown runs down to zero and no further");
        } finally {
            chromium.quit();
        }
    }

    @Test
    void shouldHandleCustomersFromOfferToCloseWhileAnotherAgentSeesNoneOfIt() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_ws_reply\"}")));
        ChromeDriver annaBrowser = Browsers.chromium();
        ChromeDriver benBrowser = Browsers.chromium();
        try {
            annaBrowser.manage().window().setSize(new Dimension(1366, 768));
            var anna = new WorkspaceScreen(annaBrowser, "http://127.0.0.1:" + port);
            var ben = new WorkspaceScreen(benBrowser, "http://127.0.0.1:" + port);
            anna.logIn("anna", "pw-anna");
            anna.choosePresence("AVAILABLE");
            anna.waitForText(By.id("capacity"), "Capacity used: 0 of 2");
            ben.logIn("ben", "pw-ben");

            // A new customer writes: the toast names the message, and its countdown runs.
            String psid = unique("ws");
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, "My parcel is late, can you help?", now()))));
            String first = "My parcel is late, can you help?";
            String countdown = anna.offerText(first, By.className("countdown"));
            // The mood of the first message comes with the offer.
            assertThat(anna.offerText(first, null)).contains("Queue sales").contains("Mood: Slightly negative");
            // The toast is redrawn as messages arrive, so it is looked up afresh each time.
            Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> !anna.offerWith(first).findElement(By.className("countdown")).getText().equals(countdown));
            anna.screenshot("offer");

            anna.accept(first);
            anna.entryWith("My parcel is late, can you help?");
            assertThat(anna.tabs()).hasSize(2);
            anna.waitForState("Active");
            assertThat(anna.text(By.className("window"))).contains("left in the 24 h window");
            // The agent is told the conversation is recorded (this Page does not ask for consent).
            Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> annaBrowser
                    .findElement(By.cssSelector(".communication header .recorded")).getText().equals("Recorded"));
            assertThat(annaBrowser.findElement(By.cssSelector(".communication header .recorded")).getAttribute("data-consent"))
                    .isEqualTo("not-asked");

            // The reply reaches the Send API, then the customer's Messenger reports it delivered.
            anna.reply("Let me check that for you.");
            anna.waitForMark("Let me check that for you.", "sent");
            GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                    .withRequestBody(containing("Let me check that for you.")));
            facebook.postSigned(webhook(entry(SALES_PAGE, delivery(SALES_PAGE, psid, System.currentTimeMillis() + 1000, "m_ws_reply"))));
            anna.waitForMark("Let me check that for you.", "delivered");

            // A quick reply from config/quick-replies.yaml, filled in by the hub.
            new org.openqa.selenium.support.ui.Select(annaBrowser.findElement(By.id("quick-reply"))).selectByValue("wait");
            annaBrowser.findElement(By.cssSelector(".quick-replies button[type=submit]")).click();
            anna.waitForMark("Let me check that for you, it will take a minute.", "sent");
            // Writing showed "typing…" to the customer (a sender action through the Send API).
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> GRAPH.verify(
                    postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).withRequestBody(containing("typing_on"))));

            // A call button with the agent's number: a Messenger button template the customer can tap.
            annaBrowser.findElement(By.id("call-number")).sendKeys("+49 30 1234567");
            annaBrowser.findElement(By.cssSelector("form.call button[type=submit]")).click();
            anna.waitForMark("+49 30 1234567", "sent");
            GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                    .withRequestBody(containing("phone_number")));

            // A file: the policy is shown before picking; what it blocks is refused on the page, the rest goes out.
            assertThat(annaBrowser.findElement(By.className("file-limit")).getText()).contains("25 MB").contains(".exe");
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("workspace-files-");
            java.nio.file.Path label = java.nio.file.Files.write(dir.resolve("parcel label.png"), TestFiles.onePixelPng());
            annaBrowser.findElement(By.id("file-input")).sendKeys(label.toString());
            anna.waitForMark("parcel label.png", "sent");
            GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                    .withRequestBody(containing("name=\"filedata\"")));
            java.nio.file.Path tool = java.nio.file.Files.writeString(dir.resolve("tool.exe"), "MZ");
            annaBrowser.findElement(By.id("file-input")).sendKeys(tool.toString());
            anna.waitForText(By.id("notices"), "tool.exe: .exe files may not be sent");

            // The productivity pane: a knowledge article shared into the conversation, a note, and a case, which the
            // CRM cannot take for a customer it does not know: the refusal says so.
            annaBrowser.findElement(By.id("knowledge-query")).sendKeys("late parcel");
            annaBrowser.findElement(By.cssSelector("form.knowledge button[type=submit]")).click();
            anna.waitForText(By.className("articles"), "My delivery is late");
            annaBrowser.findElement(By.cssSelector(".articles button")).click();
            anna.entryWith("My delivery is late");
            annaBrowser.findElement(By.id("note-text")).sendKeys("Customer waits for parcel 4711");
            annaBrowser.findElement(By.cssSelector("form.note button[type=submit]")).click();
            anna.waitForText(By.className("notes"), "Customer waits for parcel 4711");
            annaBrowser.findElement(By.id("case-title")).sendKeys("Parcel 4711 late");
            annaBrowser.findElement(By.cssSelector("form.case button[type=submit]")).click();
            anna.waitForText(By.id("notices"), "no CRM contact");
            anna.screenshot("productivity");

            // A file that points inside the network is refused: the transcript says so as Dynamics 365 does.
            facebook.postSigned(webhook(entry(SALES_PAGE, attachments(SALES_PAGE, psid, "f-" + psid,
                    file("image", "http://127.0.0.1:9/photo.jpg")))));
            anna.entryWith("Error: The customer sent an unsupported message type.");

            // A second customer: a second session tab; the first one counts what it missed.
            String second = unique("ws");
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, second, "m-" + second, "Hallo, ich habe eine Frage", now()))));
            anna.accept("Hallo, ich habe eine Frage");
            anna.entryWith("Hallo, ich habe eine Frage");
            assertThat(anna.tabs()).hasSize(3);
            anna.waitForText(By.id("capacity"), "Capacity used: 2 of 2");
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "Any news?", now()))));
            anna.waitForText(By.cssSelector("[role=tab] .unread"), "1");
            anna.screenshot("two-sessions");

            // The second customer goes to billing: the session leaves the tabs, the conversation waits in billing.
            annaBrowser.findElement(By.id("transfer-queue")).sendKeys("billing");
            annaBrowser.findElement(By.cssSelector(".transfer button[type=submit]")).click();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> anna.tabs().size() == 2);
            assertThat(jdbc.sql("select queue from conversation where customer_psid = :psid").param("psid", second)
                    .query(String.class).single()).isEqualTo("billing");

            // billing is a pick queue: nobody is offered it, its members find it on their home tab and take it.
            anna.showTab("Home");
            assertThat(anna.shownText(By.className("pickable"), second)).contains("Queue billing");
            // The list is redrawn every few seconds: find the button afresh until the click lands.
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(() -> {
                        annaBrowser.findElement(By.xpath("//ul[@class='pickable']/li[contains(., '" + second + "')]//button")).click();
                        return true;
                    });
            anna.entryWith("Hallo, ich habe eine Frage");
            assertThat(anna.tabs()).hasSize(3);
            anna.waitForState("Active");

            // Ben is logged in too, and sees none of anna's conversations.
            assertThat(ben.tabs()).hasSize(1);
            assertThat(benBrowser.findElement(By.id("panel")).getText()).doesNotContain("parcel").doesNotContain("Frage");

            // Back to the first customer: End (Wrap-up), then Close.
            anna.showTab(psid);
            anna.entryWith("Any news?");
            annaBrowser.findElement(By.xpath("//header/button[normalize-space(.)='Expand']")).click();
            anna.screenshot("expanded");
            anna.act("End");
            anna.waitForState("Wrap-up");
            anna.waitForText(By.id("capacity"), "Capacity used: 1 of 2");
            anna.act("Close");
            anna.waitForState("Closed");
            assertThat(jdbc.sql("select state from conversation where customer_psid = :psid").param("psid", psid)
                    .query(String.class).single()).isEqualTo("CLOSED");

            // The customer comes back: a new conversation, offered to anna first, whose customer pane lists the old one.
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m3-" + psid, "One more thing", now()))));
            anna.accept("One more thing");
            anna.entryWith("One more thing");
            annaBrowser.findElement(By.xpath("//header/button[normalize-space(.)='Compact']")).click();
            anna.waitForText(By.className("other-conversations"), "Closed · Queue sales");
            // She signs off: no offer of the next test goes to her, and nothing she holds goes back to the queue
            // when her browser has gone.
            anna.choosePresence("OFFLINE");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> presenceOf("anna").equals("OFFLINE"));
            closeConversationsOf("anna");
        } finally {
            annaBrowser.quit();
            benBrowser.quit();
        }
    }

    private void closeConversationsOf(String agent) {
        for (String id : jdbc.sql("select id from conversation where agent_id = :agent and state <> 'CLOSED'")
                .param("agent", agent).query(String.class).list()) {
            var closed = closeByApi(id);
            assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        }
    }

    /**
     * The customer pane and the productivity pane past the first conversation, by an agent who uses the keyboard and
     * has the tab in the background: the notification and the tone, the CRM record put right (a contact created
     * automatically is unlinked, the real contact found and linked, later a contact created from the profile), a
     * case created, unlinked, found, linked and resolved, a picture previewed, and, after the close, the old
     * conversation opened read-only and found again by transcript search.
     */
    @Test
    void shouldPutTheCustomersRecordRightWorkTheCaseAndFindTheOldConversation() throws Exception {
        // Digits: Facebook is asked for profiles of page-scoped ids only.
        String psid = String.valueOf(System.nanoTime());
        GRAPH.stubFor(get(urlPathEqualTo("/v21.0/" + psid)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"first_name\":\"Lena\",\"last_name\":\"Fischer\",\"locale\":\"de_DE\",\"id\":\"" + psid + "\"}")));
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_ws_rec\"}")));
        GRAPH.stubFor(get(urlPathEqualTo("/cdn/receipt.png")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(TestFiles.onePixelPng())));
        JdbcClient crm = JdbcClient.create(crmDataSource);
        ChromeDriver benBrowser = Browsers.chromium();
        try {
            benBrowser.manage().window().setSize(new Dimension(1366, 768));
            var ben = new WorkspaceScreen(benBrowser, "http://127.0.0.1:" + port);
            ben.open();
            // The tab is in the background: the page says so, and notifications are allowed; both are watched.
            benBrowser.executeScript("""
                    window.alerts = [];
                    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
                    window.Notification = class {
                      static permission = "granted";
                      static requestPermission() { return Promise.resolve("granted"); }
                      constructor(title, options) { window.alerts.push({ kind: "notification", title, body: options.body }); }
                    };
                    window.AudioContext = class {
                      currentTime = 0; destination = {};
                      createOscillator() { return { frequency: {}, connect: (next) => next,
                        start: () => window.alerts.push({ kind: "tone" }), stop() {} }; }
                      createGain() { return { gain: {}, connect: (next) => next }; }
                    };
                    """);
            ben.logInWithTheKeyboard("ben", "pw-ben");
            ben.choosePresence("AVAILABLE");
            ben.waitForText(By.id("capacity"), "Capacity used: 0 of 1");

            String first = "Where is my parcel 4711?";
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, first, now()))));
            ben.offerWith(first);
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    String.valueOf(benBrowser.executeScript("return JSON.stringify(window.alerts)")))
                    .contains("\"kind\":\"notification\",\"title\":\"New conversation\",\"body\":\"Lena Fischer: " + first + "\"")
                    .contains("\"kind\":\"tone\""));

            // Accepted with the keyboard alone; the arrow keys move between the tabs.
            ben.tabTo("Accept").sendKeys(Keys.ENTER);
            ben.entryWith(first);
            benBrowser.findElement(By.cssSelector("[role=tab][aria-selected=true]")).sendKeys(Keys.ARROW_LEFT);
            ben.waitForText(By.cssSelector("[role=tab][aria-selected=true]"), "Home");
            benBrowser.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
            ben.waitForText(By.cssSelector("[role=tab][aria-selected=true]"), "Lena Fischer");
            ben.shortcut(Keys.ARROW_DOWN);
            ben.waitForText(By.cssSelector("[role=tab][aria-selected=true]"), "Home");
            ben.shortcut(Keys.ARROW_UP);
            ben.waitForText(By.cssSelector("[role=tab][aria-selected=true]"), "Lena Fischer");

            // The broker drops the connection: the page says so, logs in again by itself, and the conversation stays.
            assertThat(broker.getActiveMQServer().getActiveMQServerControl().closeConnectionsForUser("ben")).isTrue();
            ben.waitForText(By.id("connection"), "Connection lost, reconnecting");
            new WebDriverWait(benBrowser, Duration.ofSeconds(20))
                    .until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connection", "connected"));
            ben.entryWith(first);
            ben.waitForState("Active");

            // The hub made a contact from the Facebook profile, but the customer is Lena Fischer of the CRM.
            String created = ben.shownText(By.cssSelector(".customer dl"), "FB-")
                    .replaceAll("(?s).*(FB-\\S+).*", "$1");
            ben.press(By.className("records"), "Unlink the CRM contact");
            ben.waitForText(By.className("records"), "Not linked to a CRM contact.");
            assertThat(crm.sql("select facebook_psid from contact where id = :id").param("id", created)
                    .query(String.class).optional()).isEmpty();
            ben.search(By.id("contact-query"), "lena.fischer@");
            ben.waitForText(By.className("contacts"), "Lena Fischer · lena.fischer@example.com · +49 89 7654321 (C-1003)");
            ben.press(By.className("contacts"), "Link to Lena Fischer · lena.fischer@example.com · +49 89 7654321 (C-1003)");
            ben.waitForText(By.cssSelector(".customer dl"), "C-1003");
            assertThat(crm.sql("select facebook_psid from contact where id = 'C-1003'").query(String.class).single())
                    .isEqualTo(psid);

            // A case: created, unlinked, found again, linked, resolved; the CRM holds the resolution.
            benBrowser.findElement(By.id("case-title")).sendKeys("Parcel 4711 late", Keys.ENTER);
            String caseId = ben.waitForText(By.className("linked-case"), "Parcel 4711 late (status open)")
                    .getAttribute("data-case");
            ben.press(By.className("linked-case"), "Unlink case");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> benBrowser.findElements(By.className("linked-case")).isEmpty());
            assertThat(jdbc.sql("select case_id from conversation where customer_psid = :psid").param("psid", psid)
                    .query(String.class).optional()).isEmpty();
            ben.search(By.id("case-query"), "4711");
            ben.press(By.className("found-cases"), "Link case " + caseId);
            ben.waitForText(By.className("linked-case"), caseId);
            benBrowser.findElement(By.id("case-resolution")).sendKeys("Delivered on Monday");
            ben.press(By.className("case-resolve"), "Resolve case");
            ben.waitForText(By.className("linked-case"), "(status resolved)");
            assertThat(crm.sql("select resolution from crm_case where id = :id").param("id", caseId).query(String.class).single())
                    .isEqualTo("Delivered on Monday");
            benBrowser.executeScript("window.scrollTo(0, 0); document.querySelector('.customer').scrollTop = 0;");
            ben.screenshot("records");

            // A picture the customer sends is shown, fetched with the agent's own login.
            facebook.postSigned(webhook(entry(SALES_PAGE, attachments(SALES_PAGE, psid, "f-" + psid,
                    file("image", "http://127.0.0.3:" + GRAPH.port() + "/cdn/receipt.png")))));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(benBrowser.executeScript(
                    "const img = document.querySelector('figure.preview img');"
                            + " return Boolean(img && img.src.startsWith('blob:') && img.complete && img.naturalWidth === 1);")));

            // The customer is asked for a number to call back, with Messenger's phone number quick reply.
            ben.press(By.cssSelector("form.call"), "Ask for a callback number");
            ben.waitForMark("asks for the customer's phone number", "sent");
            GRAPH.verify(postRequestedFor(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages"))
                    .withRequestBody(containing("user_phone_number")));

            // Linked to the wrong person after all: unlinked again, and a contact made from the Facebook profile.
            ben.press(By.className("records"), "Unlink the CRM contact");
            ben.press(By.className("records"), "Create a contact from the Facebook profile");
            String made = ben.shownText(By.cssSelector(".customer dl"), "FB-").replaceAll("(?s).*(FB-\\S+).*", "$1");
            assertThat(made).isNotEqualTo(created);
            assertThat(crm.sql("select first_name || ' ' || last_name from contact where id = :id and facebook_psid = :psid")
                    .param("id", made).param("psid", psid).query(String.class).single()).isEqualTo("Lena Fischer");
            assertThat(crm.sql("select facebook_psid from contact where id = 'C-1003'").query(String.class).optional()).isEmpty();

            // Every control says what it is, and nothing runs off a laptop screen.
            assertThat(ben.controlsWithoutName()).isEmpty();
            assertThat(benBrowser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);

            // Closed; the customer comes back and the old conversation is there to read, but not to write to.
            ben.act("Close");
            ben.waitForState("Closed");
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "Is it there yet?", now()))));
            ben.offerWith("Is it there yet?");
            ben.shortcut("a");
            ben.entryWith("Is it there yet?");
            ben.press(By.className("other-conversations"), "Open");
            ben.waitForText(By.id("viewer"), first);
            assertThat(benBrowser.findElement(By.id("viewer")).getText()).contains("Read-only").contains("Closed");
            assertThat(benBrowser.findElements(By.cssSelector("#viewer textarea, #viewer input"))).isEmpty();
            benBrowser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !benBrowser.findElement(By.id("viewer")).isDisplayed());

            // Transcript search finds the archived conversation (archiving runs after the close) and opens it.
            benBrowser.findElement(By.id("transcript-customer")).click();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                benBrowser.findElement(By.id("transcript-query")).clear();
                ben.search(By.id("transcript-query"), "parcel");
                Thread.sleep(500);
                return benBrowser.findElements(By.cssSelector(".transcripts li")).size() == 1;
            });
            assertThat(benBrowser.findElement(By.cssSelector(".transcripts li")).getText()).contains("Lena Fischer").contains("ben");
            ben.press(By.className("transcripts"), "Open the transcript of Lena Fischer");
            ben.waitForText(By.id("viewer"), "archived transcript");
            assertThat(benBrowser.findElement(By.id("viewer")).getText()).contains(first);
            ben.press(By.id("viewer"), "Close view");

            ben.shortcut("c");
            ben.waitForState("Closed");
        } finally {
            new WorkspaceScreen(benBrowser, "http://127.0.0.1:" + port).choosePresence("OFFLINE");
            benBrowser.quit();
        }
    }

    @Test
    void shouldSpeakGermanWhenAskedTo() {
        var chromium = Browsers.chromium();
        try {
            var page = new WorkspaceScreen(chromium, "http://127.0.0.1:" + port);
            page.open();
            page.chooseLanguage("de");
            page.waitForText(By.tagName("h1"), "Agenten-Arbeitsplatz");
            assertThat(chromium.findElement(By.cssSelector("#login-form button[type=submit]")).getText()).isEqualTo("Anmelden");
            assertThat(chromium.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("de");
        } finally {
            chromium.quit();
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

}
