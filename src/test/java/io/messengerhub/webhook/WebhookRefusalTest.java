package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import io.messengerhub.webhook.SignatureVerifier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Everything the webhook refuses is answered with a clear status and stores nothing. Each test posts a valid
 * event afterwards for the same customer, so "nothing stored" is checked against a hub that did keep working.
 */
class WebhookRefusalTest extends HubSystemTest {

    @Test
    void shouldAnswerTheVerificationHandshakeWithTheChallenge() {
        var response = facebook.get("/webhooks/facebook?hub.mode=subscribe&hub.verify_token=" + WebhookClient.VERIFY_TOKEN
                + "&hub.challenge=1158201444");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1158201444");
    }

    @Test
    void shouldRefuseTheHandshakeWithAWrongTokenOrMode() {
        assertThat(facebook.get("/webhooks/facebook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1").statusCode())
                .isEqualTo(403);
        assertThat(facebook.get("/webhooks/facebook?hub.mode=unsubscribe&hub.verify_token=" + WebhookClient.VERIFY_TOKEN
                + "&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(facebook.get("/webhooks/facebook?hub.challenge=1").statusCode()).isEqualTo(403);
    }

    @Test
    void shouldRefuseATamperedBodyAndStoreNothing() {
        String psid = unique("psid");
        byte[] signed = event(psid, "pay 10 EUR");
        String signature = facebook.sign(signed);
        byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("10 EUR", "99 EUR").getBytes(StandardCharsets.UTF_8);

        var response = facebook.post(tampered, signature, "application/json");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("signature invalid");
        assertNothingStoredFor(psid);
    }

    @Test
    void shouldRefuseAMissingSignature() {
        String psid = unique("psid");

        var response = facebook.post(event(psid, "unsigned"), null, "application/json");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("signature missing");
        assertNothingStoredFor(psid);
    }

    @Test
    void shouldRefuseASignatureMadeWithAnotherSecret() {
        String psid = unique("psid");
        byte[] body = event(psid, "forged");

        var response = facebook.post(body, new SignatureVerifier("not-the-app-secret").header(body), "application/json");

        assertThat(response.statusCode()).isEqualTo(403);
        assertNothingStoredFor(psid);
    }

    @Test
    void shouldRefuseTheLegacySha1HeaderOnItsOwn() {
        String psid = unique("psid");
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/facebook"))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event(psid, "sha1 only"))).build();

        assertThat(facebook.send(request).statusCode()).isEqualTo(403);
        assertNothingStoredFor(psid);
    }

    @Test
    void shouldRefuseSignedBodiesThatAreNotPageWebhooks() {
        assertRefused("{\"object\":\"page\",\"entry\":[", 400, "body is not JSON");
        assertRefused("not json at all", 400, "body is not JSON");
        assertRefused("[1,2,3]", 400, "body is not a JSON object");
        assertRefused("{\"object\":\"instagram\",\"entry\":[]}", 400, "object is not 'page'");
        assertRefused("{\"object\":\"page\",\"entry\":{}}", 400, "entry is not an array");
        assertRefused("", 400, "body is not a JSON object");
    }

    @Test
    void shouldRefuseDeeplyNestedJsonWithoutFallingOver() {
        String deep = "{\"object\":\"page\",\"entry\":[" + "[".repeat(5000) + "]".repeat(5000) + "]}";

        assertRefused(deep, 400, "body is not JSON");
    }

    @Test
    void shouldRefuseAnOversizeBodyWith413() {
        String psid = unique("psid");
        String padding = "x".repeat(1_048_576);
        byte[] body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, padding))).getBytes(StandardCharsets.UTF_8);

        var response = facebook.post(body, facebook.sign(body), "application/json");

        assertThat(response.statusCode()).isEqualTo(413);
        assertNothingStoredFor(psid);
    }

    @Test
    void shouldRefuseAnOversizeChunkedBodyThatDeclaresNoLength() {
        String psid = unique("psid");
        byte[] body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "y".repeat(1_100_000))))
                .getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/facebook"))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", facebook.sign(body))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

        var response = facebook.send(request);

        assertThat(response.statusCode()).isEqualTo(413);
        assertNothingStoredFor(psid);
    }

    @Test
    void shouldRefuseAFormPostWith415SoTheBodyIsNeverParsedAsParameters() {
        String psid = unique("psid");
        byte[] body = event(psid, "form");

        var response = facebook.post(body, facebook.sign(body), "application/x-www-form-urlencoded");

        assertThat(response.statusCode()).isEqualTo(415);
        assertNothingStoredFor(psid);
    }

    private void assertRefused(String body, int status, String reason) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        var response = facebook.post(raw, facebook.sign(raw), "application/json");
        assertThat(response.statusCode()).as("status for %s", abbreviate(body)).isEqualTo(status);
        assertThat(response.body()).as("reason for %s", abbreviate(body)).isEqualTo(reason);
    }

    private static byte[] event(String psid, String text) {
        return webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, text))).getBytes(StandardCharsets.UTF_8);
    }

    /** Nothing of the refused post is stored, while a valid post for another customer right after it is. */
    private void assertNothingStoredFor(String psid) {
        String witness = unique("witness");
        assertThat(facebook.postSigned(webhook(entry(SALES_PAGE, text(SALES_PAGE, witness, "m-" + witness, "ok")))).statusCode())
                .isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> messagesOf(witness) == 1);
        assertThat(conversationsOf(psid)).isZero();
        assertThat(jdbc.sql("select count(*) from facebook_event where customer_psid = :psid").param("psid", psid)
                .query(Integer.class).single()).isZero();
    }

    private static String abbreviate(String body) {
        return body.length() > 60 ? body.substring(0, 60) + "..." : body;
    }
}
