package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

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
        var response = facebook.getWebhook("?hub.mode=subscribe&hub.verify_token=" + WebhookClient.VERIFY_TOKEN
                + "&hub.challenge=1158201444");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1158201444");
    }

    @Test
    void shouldRefuseTheHandshakeWithAWrongTokenOrMode() {
        assertThat(facebook.getWebhook("?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1").statusCode())
                .isEqualTo(403);
        assertThat(facebook.getWebhook("?hub.mode=unsubscribe&hub.verify_token=" + WebhookClient.VERIFY_TOKEN
                + "&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(facebook.getWebhook("?hub.challenge=1").statusCode()).isEqualTo(403);
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
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/facebook"))
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
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/facebook"))
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

    @Test
    void shouldServeTheWebhookOnItsOwnPortAndNothingElseThere() {
        String psid = unique("psid");
        byte[] body = event(psid, "on the web server's port");
        var onWebServer = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/facebook"))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", facebook.sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        var apiOnWebhookServer = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort + "/api/conversations?psid=" + psid))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).GET().build();

        assertThat(facebook.send(onWebServer).statusCode()).isEqualTo(404);
        assertThat(facebook.send(apiOnWebhookServer).statusCode()).isEqualTo(404);
        assertNothingStoredFor(psid);
    }

    @Test
    void shouldKeepTheConnectionForTheNextWebhookAfterARefusedBody() throws Exception {
        String psid = unique("psid");
        byte[] refused = event(psid, "as a form");
        byte[] accepted = event(psid, "as JSON");
        try (var socket = new Socket("127.0.0.1", webhookPort)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out.write(request(refused, "application/x-www-form-urlencoded"));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 415 Unsupported Media Type");
            skipAnswer(in);
            out.write(request(accepted, "application/json"));
            assertThat(in.readLine()).as("the same connection takes the next request").isEqualTo("HTTP/1.1 200 OK");
        }
        awaitMessages(psid, 1);
        assertThat(messagesOf(psid)).isEqualTo(1);
    }

    private byte[] request(byte[] body, String contentType) {
        String head = "POST /webhooks/facebook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nX-Hub-Signature-256: " + facebook.sign(body) + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] raw = Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + body.length);
        System.arraycopy(body, 0, raw, head.length(), body.length);
        return raw;
    }

    /** Reads the rest of an answer: its headers, then the body of its Content-Length. */
    private static void skipAnswer(BufferedReader in) throws IOException {
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();
        }
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
