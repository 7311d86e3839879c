package io.messengerhub.webhook;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.messengerhub.channel.FacebookProperties;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Decides what may enter the hub from the Facebook webhook: the verification handshake, and for event
 * deliveries the size limit, the signature over the raw bytes, and the envelope. Nothing here stores anything.
 */
@Component("webhookGate")
public class WebhookGate {

    private final SignatureVerifier signatures;
    private final String verifyToken;
    private final long maxBodyBytes;
    private final ObjectMapper json;

    public WebhookGate(FacebookProperties facebook, WebhookProperties webhook, ObjectMapper json) {
        this.signatures = new SignatureVerifier(facebook.appSecret());
        this.verifyToken = facebook.verifyToken();
        this.maxBodyBytes = webhook.maxBodyBytes();
        this.json = json;
    }

    /** Answers Facebook's subscription handshake with the challenge, or refuses it. */
    public String verify(@Header("hub.mode") String mode, @Header("hub.verify_token") String token,
                         @Header("hub.challenge") String challenge) {
        if (!"subscribe".equals(mode) || token == null || !constantTimeEquals(token, verifyToken)) {
            throw WebhookRejectedException.forbidden("verification refused");
        }
        if (challenge == null || challenge.isEmpty()) {
            throw WebhookRejectedException.badRequest("hub.challenge missing");
        }
        return challenge;
    }

    /** Admits an event delivery, or throws {@link WebhookRejectedException} with the status to answer. */
    public AdmittedWebhook admit(@Body byte[] body, @Header("X-Hub-Signature-256") String signature) {
        // The webhook server has refused longer bodies before reading them (WebhookGuard, its body handler).
        byte[] raw = body == null ? new byte[0] : body;
        if (raw.length > maxBodyBytes) {
            throw WebhookRejectedException.tooLarge(maxBodyBytes);
        }
        if (!signatures.isValid(raw, signature)) {
            throw WebhookRejectedException.forbidden(signature == null ? "signature missing" : "signature invalid");
        }
        return new AdmittedWebhook(raw, orderingKeyOf(envelope(raw)));
    }

    private JsonNode envelope(byte[] raw) {
        JsonNode root;
        try {
            root = json.readTree(raw);
        } catch (JsonProcessingException e) {
            // Also what Jackson's StreamReadConstraints throw for absurd nesting: the body is refused, not parsed.
            throw WebhookRejectedException.badRequest("body is not JSON");
        } catch (IOException e) {
            throw WebhookRejectedException.badRequest("body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw WebhookRejectedException.badRequest("body is not a JSON object");
        }
        if (!"page".equals(root.path("object").asText(null))) {
            throw WebhookRejectedException.badRequest("object is not 'page'");
        }
        if (!root.path("entry").isArray()) {
            throw WebhookRejectedException.badRequest("entry is not an array");
        }
        return root;
    }

    /** Page and customer of the first event; an echo's customer is its recipient. */
    private static String orderingKeyOf(JsonNode envelope) {
        JsonNode entry = envelope.path("entry").path(0);
        JsonNode event = entry.path("messaging").path(0);
        if (event.isMissingNode()) {
            event = entry.path("standby").path(0);
        }
        boolean echo = event.path("message").path("is_echo").asBoolean(false);
        JsonNode customer = event.path(echo ? "recipient" : "sender").path("id");
        return entry.path("id").asText("unknown") + ":" + customer.asText("unknown");
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
