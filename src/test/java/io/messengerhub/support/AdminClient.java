package io.messengerhub.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Calls the admin API (/admin/**) of a running hub with one login, as an operator's script would. */
public final class AdminClient {

    public static final String ADMIN = "root-admin";
    public static final String PASSWORD = "pw-admin-for-tests";

    private final WebhookClient http;
    private final String baseUrl;
    private final String authorization;

    public AdminClient(int port, String user, String password) {
        this.http = new WebhookClient(port, port);
        this.baseUrl = "http://127.0.0.1:" + port;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Registers the admin login {@link #ADMIN} as the first user of config/agents.yaml. */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry, int userIndex) {
        String hash = io.messengerhub.agent.PasswordHashes.hash(PASSWORD);
        registry.add("hub.agents.users[" + userIndex + "].id", () -> ADMIN);
        registry.add("hub.agents.users[" + userIndex + "].password-hash", () -> hash);
        registry.add("hub.agents.users[" + userIndex + "].role", () -> "admin");
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return http.send(request.build());
    }
}
