package io.messengerhub.admin;

import static io.messengerhub.support.FacebookPayloads.T0;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.messengerhub.support.AdminClient;
import io.messengerhub.support.HubSystemTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Dead letters through the admin API: listed with their reasons, replayed by id or by time range to the queue they
 * failed on, once; a replay of something recorded meanwhile records nothing twice, one that fails again comes back
 * with its reason, and a refused item stays where people can read it.
 */
class DeadLetterReplayTest extends HubSystemTest {

    private static final String DEAD_LETTERS = "hub.webhook.dead-letter";

    @DynamicPropertySource
    static void admin(DynamicPropertyRegistry registry) {
        AdminClient.register(registry, 0);
    }

    private AdminClient admin;

    @BeforeEach
    void adminLogsIn() {
        admin = new AdminClient(port, AdminClient.ADMIN, AdminClient.PASSWORD);
    }

    @Test
    void shouldReplayAWebhookWhoseProcessingFailedAndRecordItOnce() throws Exception {
        String psid = unique("psid");
        String body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "lost in processing")));
        String id = deadLetter(body, "org.springframework.dao.QueryTimeoutException: the database took too long");

        JsonNode letter = listed(id);
        assertThat(letter.path("reason").asText()).contains("the database took too long");
        assertThat(letter.path("failedIn").asText()).isEqualTo("webhook-process");
        assertThat(letter.path("replayable").asBoolean()).isTrue();
        assertThat(letter.path("preview").asText()).isEqualTo(body);
        assertThat(conversationsOf(psid)).isZero();

        var replayed = admin.post("/admin/dead-letters/webhooks/replay", "{\"ids\": [\"" + id + "\"]}");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(readJson(replayed.body()).path("count").asInt()).isEqualTo(1);
        awaitMessages(psid, 1);
        assertThat(awaitOffers("sales", psid, 1)).hasSize(1);
        assertThat(listedIds()).doesNotContain(id);

        // Replayed once only: asked again, it is not there any more.
        var again = admin.post("/admin/dead-letters/webhooks/replay", "{\"ids\": [\"" + id + "\"]}");
        assertThat(readJson(again.body()).path("count").asInt()).isZero();
        assertThat(readJson(again.body()).path("notFound").toString()).contains(id);

        // The same webhook dead-lettered once more (a second failed copy) and replayed: de-duplicated, nothing twice.
        String copy = deadLetter(body, "a second copy");
        admin.post("/admin/dead-letters/webhooks/replay", "{\"ids\": [\"" + copy + "\"]}");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !listedIds().contains(copy));
        Thread.sleep(1000);
        assertThat(messagesOf(psid)).isEqualTo(1);
        assertThat(eventsOf(psid, "message")).isEqualTo(1);

        JsonNode audit = readJson(admin.get("/admin/audit").body());
        assertThat(audit.findValuesAsText("action")).contains("dead-letters.list", "dead-letters.replay");
    }

    @Test
    void shouldPutAWebhookThatFailsAgainBackWithItsReasonAndReplayByTimeRange() throws Exception {
        // A real failure: a Page id longer than the database takes, dead-lettered by the hub after its attempts.
        String tooLongPage = "7".repeat(80);
        String psid = unique("psid");
        String body = webhook(entry(tooLongPage, text(tooLongPage, psid, "m-" + psid, "cannot be stored")));
        Instant before = Instant.now().minusSeconds(1);
        assertThat(facebook.postSigned(body).statusCode()).isEqualTo(200);
        JsonNode letter = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> byPreview(body), l -> l != null);
        assertThat(letter.path("reason").asText()).containsIgnoringCase("value too long");

        String good = unique("psid");
        String goodBody = webhook(entry(SALES_PAGE, text(SALES_PAGE, good, "m-" + good, "replayed by time")));
        deadLetter(goodBody, "broker away");
        Instant after = Instant.now().plusSeconds(1);

        var replayed = admin.post("/admin/dead-letters/webhooks/replay",
                "{\"from\": \"" + before + "\", \"to\": \"" + after + "\"}");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(readJson(replayed.body()).path("count").asInt()).isGreaterThanOrEqualTo(2);
        awaitMessages(good, 1);
        // The one that cannot be stored fails again and is back, with its reason: nothing lost.
        JsonNode back = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> byPreview(body), l -> l != null && !l.path("id").asText().equals(letter.path("id").asText()));
        assertThat(back.path("reason").asText()).containsIgnoringCase("value too long");
    }

    @Test
    void shouldKeepARefusedItemForPeopleAndNotReplayIt() throws Exception {
        String psid = unique("psid");
        String withoutSender = "{\"recipient\":{\"id\":\"" + SALES_PAGE + "\"},\"timestamp\":" + T0
                + ",\"message\":{\"mid\":\"nosender-" + psid + "\",\"text\":\"who am I\"}}";
        facebook.postSigned(webhook(entry(SALES_PAGE, withoutSender)));
        JsonNode refused = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> byPreviewPart("nosender-" + psid), l -> l != null);
        assertThat(refused.path("reason").asText()).isEqualTo("event refused: sender.id missing");
        assertThat(refused.path("replayable").asBoolean()).isFalse();

        var replay = admin.post("/admin/dead-letters/webhooks/replay", "{\"ids\": [\"" + refused.path("id").asText() + "\"]}");
        assertThat(readJson(replay.body()).path("count").asInt()).isZero();
        assertThat(readJson(replay.body()).path("notFound").toString()).contains(refused.path("id").asText());
        assertThat(listedIds()).contains(refused.path("id").asText());
    }

    @Test
    void shouldRefuseBadSelectionsClearly() {
        assertRefused(admin.post("/admin/dead-letters/webhooks/replay", "{}"), 400, "either ids");
        assertRefused(admin.post("/admin/dead-letters/webhooks/replay",
                "{\"ids\": [\"ID:1\"], \"from\": \"2026-01-01T00:00:00Z\"}"), 400, "not both");
        assertRefused(admin.post("/admin/dead-letters/webhooks/replay",
                "{\"ids\": [\"x' OR 1=1 OR JMSMessageID='\"]}"), 400, "ID:");
        assertRefused(admin.post("/admin/dead-letters/webhooks/replay",
                "{\"from\": \"2026-02-01T00:00:00Z\", \"to\": \"2026-01-01T00:00:00Z\"}"), 400, "before");
        assertRefused(admin.get("/admin/dead-letters/elsewhere"), 404, "webhooks");
        assertThat(new AdminClient(port, null, null).get("/admin/dead-letters/webhooks").statusCode()).isEqualTo(401);
    }

    /** Puts the raw webhook on the dead-letter queue as the processing route does after its last attempt; its id. */
    private String deadLetter(String body, String reason) {
        var id = new String[1];
        jms.send(DEAD_LETTERS, session -> {
            var message = session.createBytesMessage();
            message.writeBytes(body.getBytes(StandardCharsets.UTF_8));
            message.setStringProperty("hubDeadLetterReason", reason);
            message.setStringProperty("hubDeadLetterRoute", "webhook-process");
            message.setStringProperty("JMSXGroupID", "group-" + reason.hashCode());
            return message;
        });
        // The id the broker gave it: the newest letter with this reason.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            for (JsonNode letter : list()) {
                if (reason.equals(letter.path("reason").asText()) && body.equals(letter.path("preview").asText())) {
                    id[0] = letter.path("id").asText();
                }
            }
            return id[0] != null;
        });
        return id[0];
    }

    private List<JsonNode> list() {
        var response = admin.get("/admin/dead-letters/webhooks?limit=1000");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var letters = new ArrayList<JsonNode>();
        readJson(response.body()).forEach(letters::add);
        return letters;
    }

    private List<String> listedIds() {
        return list().stream().map(letter -> letter.path("id").asText()).toList();
    }

    private JsonNode listed(String id) {
        return list().stream().filter(letter -> id.equals(letter.path("id").asText())).findFirst().orElseThrow();
    }

    private JsonNode byPreview(String body) {
        return list().stream().filter(letter -> body.equals(letter.path("preview").asText())).findFirst().orElse(null);
    }

    private JsonNode byPreviewPart(String part) {
        return list().stream().filter(letter -> letter.path("preview").asText().contains(part)).findFirst().orElse(null);
    }

    private void assertRefused(java.net.http.HttpResponse<String> response, int status, String reasonPart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(readJson(response.body()).path("reason").asText()).contains(reasonPart);
    }
}
