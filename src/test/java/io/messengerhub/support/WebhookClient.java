package io.messengerhub.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.messengerhub.webhook.SignatureVerifier;

/** Posts to a running hub the way Facebook, a CRM or an attacker would. */
public final class WebhookClient {

    public static final String APP_SECRET = "test-app-secret";
    public static final String VERIFY_TOKEN = "test-verify-token";
    public static final String API_TOKEN = "test-api-token";
    public static final String OPERATOR_TOKEN = "test-operator-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String webhookUrl;
    private final SignatureVerifier signer = new SignatureVerifier(APP_SECRET);

    /** A client of the hub's web server on {@code port} and of its webhook server on {@code webhookPort}. */
    public WebhookClient(int port, int webhookPort) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.webhookUrl = "http://127.0.0.1:" + webhookPort + "/webhooks/facebook";
    }

    /** Posts the body signed with the hub's app secret, as Facebook does. */
    public HttpResponse<String> postSigned(String body) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        return post(raw, signer.header(raw), "application/json");
    }

    public HttpResponse<String> post(byte[] raw, String signature, String contentType) {
        var request = HttpRequest.newBuilder(URI.create(webhookUrl))
                .POST(HttpRequest.BodyPublishers.ofByteArray(raw));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    public String sign(byte[] raw) {
        return signer.header(raw);
    }

    /** A GET of the webhook (Facebook's subscription handshake) with this query. */
    public HttpResponse<String> getWebhook(String query) {
        return send(HttpRequest.newBuilder(URI.create(webhookUrl + query)).GET().build());
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET().build());
    }

    /** A GET of the actuator with the operators' token. */
    public HttpResponse<String> getOperator(String pathAndQuery) {
        return getApi(pathAndQuery, OPERATOR_TOKEN);
    }

    public HttpResponse<String> getApi(String pathAndQuery, String bearerToken) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new IllegalStateException("hub did not answer " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
