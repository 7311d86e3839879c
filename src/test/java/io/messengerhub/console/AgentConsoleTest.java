package io.messengerhub.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.delivery;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The agent console driven line by line as an agent would type, against the running hub: an offer with the
 * customer and the countdown, accept, the chat with message status, and the end of the conversation.
 */
@TestPropertySource(properties = {
        "TEST_PAGE_TOKEN=sales-page-token",
        "hub.agents.distribution-interval=200",
})
class AgentConsoleTest extends HubSystemTest {

    @org.springframework.beans.factory.annotation.Value("${hub.attachments.store-dir}")
    String storeDir;

    static final WireMockServer GRAPH = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static TestAgents agents;

    static {
        GRAPH.start();
    }

    @DynamicPropertySource
    static void agentsAndGraph(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
        registry.add("hub.facebook.graph-url", () -> "http://127.0.0.1:" + GRAPH.port() + "/v21.0");
    }

    private final StringWriter screen = new StringWriter();
    private java.nio.file.Path downloads;
    private AgentConsole console;

    @BeforeEach
    void annaOpensTheConsole() throws Exception {
        GRAPH.stubFor(post(urlPathEqualTo("/v21.0/" + SALES_PAGE + "/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"recipient_id\":\"1\",\"message_id\":\"m_console_reply\"}")));
        downloads = java.nio.file.Files.createTempDirectory("console-downloads-");
        console = new AgentConsole(new PrintWriter(screen, true), Instant::now).downloadsFrom("http://127.0.0.1:" + port, downloads);
        console.connect(agents.brokerUrl(), "anna", "pw-anna");
        sees("Connected as anna");
    }

    @AfterEach
    void annaQuits() throws Exception {
        console.handle("/presence offline");
        console.close();
    }

    @Test
    void shouldTakeAnAgentThroughAWholeConversation() throws Exception {
        console.handle("/presence available");
        sees("Presence: AVAILABLE");

        String psid = String.valueOf(System.nanoTime());
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, "Hello, my parcel is late",
                System.currentTimeMillis()))));
        sees("*** Offer 1 (sales)");
        sees("\"Hello, my parcel is late\"");
        sees("/accept 1 or /reject 1 within");

        console.handle("/accept 1");
        sees("=== Conversation 1 with Unknown customer is yours.");
        sees("Customer: Hello, my parcel is late");

        console.handle("Sorry to hear that, let me check.");
        sees("✓ sent");
        java.nio.file.Path label = java.nio.file.Files.write(java.nio.file.Files.createTempDirectory("console-").resolve("label.png"),
                io.messengerhub.support.TestFiles.onePixelPng());
        console.handle("/file " + label);
        sees("Sending label.png ...");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> screen.toString().split("✓ sent", -1).length == 3);

        facebook.postSigned(webhook(entry(SALES_PAGE, delivery(SALES_PAGE, psid, System.currentTimeMillis() + 1000, "m_console_reply"))));
        sees("✓✓ delivered");
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m2-" + psid, "Order 4711",
                System.currentTimeMillis() + 2000))));
        sees("Customer: Order 4711");

        // A file the customer sent, already in the attachment store (its intake is AttachmentIntakeTest's subject).
        String conversationId = jdbc.sql("select id from conversation where customer_psid = :psid").param("psid", psid)
                .query(String.class).single();
        java.nio.file.Path store = java.nio.file.Path.of(storeDir);
        java.nio.file.Files.createDirectories(store);
        java.nio.file.Files.writeString(store.resolve("f-" + psid + ".txt"), "tracking 4711");
        jdbc.sql("insert into attachment (id, conversation_id, claimed_type, source_url, original_name, detected_type, size_bytes,"
                        + " stored_name, status, created_at) values (:id, :conversation, 'file', 'https://cdn.fbsbx.com/x', 'tracking.txt',"
                        + " 'text/plain', 13, :stored, 'STORED', current_timestamp)")
                .param("id", "att-" + psid).param("conversation", conversationId).param("stored", "f-" + psid + ".txt").update();
        console.handle("/download att-" + psid);
        sees("Saved ");
        assertThat(java.nio.file.Files.readString(downloads.resolve("tracking.txt"))).isEqualTo("tracking 4711");
        console.handle("/download someone-elses");
        sees("! download: the hub answered 404");

        console.handle("/note Wants a refund if not delivered by Friday");
        sees("Note saved (1 on this conversation).");
        console.handle("/quick");
        sees("greeting: Greeting - Hello {firstName}");
        console.handle("/kb Rücksendung");
        sees("ruecksendung-erstattung: Rücksendung und Rückerstattung");
        console.handle("/call +49 30 1234567");
        sees("You: Would you like to talk to us? Tap to call. [Call us: +49 30 1234567]");
        console.handle("/view");
        sees("[ACTIVE] queue sales");

        console.handle("/list");
        sees("> 1. Unknown customer [ACTIVE]");
        console.handle("/end");
        sees("Ended: wrap-up.");
        console.handle("/close");
        sees("Closed.");
        console.handle("/list");
        sees("No conversations.");
        // Once archived, the conversation is found again by its words, with a link to the whole transcript.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            console.handle("/search parcels late psid:" + psid);
            return screen.toString().contains("/transcript " + conversationId);
        });
        sees(psid + " / anna / sales: [");
        console.handle("/transcript " + conversationId);
        sees("=== Transcript " + conversationId + ": Unknown customer, queue sales, agent anna");
        sees("[note anna] Wants a refund if not delivered by Friday");
        assertThat(jdbc.sql("select state from conversation where customer_psid = :psid").param("psid", psid)
                .query(String.class).single()).isEqualTo("CLOSED");
    }

    @Test
    void shouldLinkTheCustomerToACrmContactAndUnlinkIt() throws Exception {
        console.handle("/contact search fischer");
        sees("  C-1003: Lena Fischer (silver), lena.fischer@example.com, +49 89 7654321");
        console.handle("/contact search");
        sees("! contact.search: a contact search needs a name, email or phone");
        console.handle("/presence available");
        sees("Presence: AVAILABLE");
        String psid = String.valueOf(System.nanoTime());
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, "Hier ist Lena",
                System.currentTimeMillis()))));
        sees("*** Offer 1 (sales)");
        console.handle("/accept 1");
        sees("=== Conversation 1 with Unknown customer is yours.");

        console.handle("/contact link C-1003");
        sees("Linked to CRM contact C-1003: Lena Fischer (silver)");
        console.handle("/case unlink");
        sees("has no linked case");
        console.handle("/contact create");
        sees("! contact.create: the customer is already CRM contact C-1003: unlink it first");
        console.handle("/contact unlink");
        sees("Unlinked from CRM contact C-1003: Unknown customer");
        console.handle("/view no-such-conversation");
        sees("! conversation.open: conversation no-such-conversation is not yours");
        console.handle("/contact");
        sees("Use /contact search WORDS, /contact link ID, /contact unlink or /contact create.");
        console.handle("/close");
        sees("Closed.");
    }

    @Test
    void shouldExplainWhatItCannotDo() throws Exception {
        console.handle("hello?");
        sees("No current conversation");
        console.handle("/accept 9");
        sees("No offer 9");
        console.handle("/presence sleeping");
        sees("! presence.set: presence must be one of");
        console.handle("/frobnicate");
        sees("Unknown command frobnicate");
        assertThat(console.handle("/quit")).isFalse();
    }

    private void sees(String text) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> screen.toString().contains(text));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the screen does not show \"" + text + "\":\n" + screen, e);
        }
    }
}
