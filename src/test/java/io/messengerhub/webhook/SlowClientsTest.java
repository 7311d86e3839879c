package io.messengerhub.webhook;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their request body slowly (a byte every half second) are cut off with 408 after
 * {@code hub.http.body-read-timeout} and never hold the threads that run the routes: signed webhooks and the API
 * are answered meanwhile. One client may have only {@code hub.webhook.max-concurrent-per-client} webhooks (16 in
 * these tests) in progress.
 */
class SlowClientsTest extends HubSystemTest {

    private final List<Socket> sockets = new ArrayList<>();
    private final ExecutorService slowSenders = Executors.newCachedThreadPool();

    @AfterEach
    void disconnect() throws IOException {
        slowSenders.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void shouldAnswerSignedWebhooksWhileSixtyFourClientsSendTheirBodiesSlowly() throws Exception {
        var slow = new ArrayList<CompletableFuture<String>>();
        // 8 clients on each of 8 loopback addresses: each within the per-client limit, 64 in all.
        for (int address = 2; address <= 9; address++) {
            for (int i = 0; i < 8; i++) {
                slow.add(slowPost("127.0.0." + address, "/webhooks/facebook"));
            }
        }
        slow.add(slowPost("127.0.0.9", "/api/erasures"));
        Thread.sleep(500);

        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 10; i++) {
            String psid = unique("psid");
            byte[] body = webhook(entry(SALES_PAGE, text(SALES_PAGE, psid, "m-" + psid, "while others are slow")))
                    .getBytes(StandardCharsets.UTF_8);
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/facebook"))
                    .timeout(Duration.ofSeconds(2))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", facebook.sign(body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as("webhook %d answered while 64 clients are slow", i).isEqualTo(200);
            var api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/conversations?psid=" + psid))
                    .timeout(Duration.ofSeconds(2)).header("Authorization", "Bearer " + WebhookClient.API_TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(200);
        }

        // Every slow client is cut off after the body deadline (5 s), long before it would have finished (10 s).
        for (var client : slow) {
            assertThat(client.get(20, TimeUnit.SECONDS)).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    void shouldRefuseAClientsRequestsBeyondItsLimitAtOnce() throws Exception {
        var held = new ArrayList<CompletableFuture<String>>();
        for (int i = 0; i < 16; i++) {
            held.add(slowPost("127.0.0.10", "/webhooks/facebook"));
        }
        // Once the server has all 16 open (at once here, later on a slow machine), the 17th is refused.
        String answer = Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> post("127.0.0.10", "/webhooks/facebook", "{}"), response -> response.startsWith("HTTP/1.1 429"));

        assertThat(answer).startsWith("HTTP/1.1 429");
        assertThat(answer).contains("Retry-After");
        // Other clients are not affected.
        assertThat(post("127.0.0.11", "/webhooks/facebook", "{}")).startsWith("HTTP/1.1 403");
        for (var client : held) {
            assertThat(client.get(20, TimeUnit.SECONDS)).startsWith("HTTP/1.1 408");
        }
    }

    /** A POST that announces 20 bytes and sends one every half second; completes with the answer's status line. */
    private CompletableFuture<String> slowPost(String from, String path) throws IOException {
        Socket socket = connect(from, path);
        return CompletableFuture.supplyAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "X-Hub-Signature-256: sha256=00\r\nContent-Length: 20\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (int i = 0; i < 20 && socket.getInputStream().available() == 0; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (IOException cutOff) {
                // The hub closed the connection: read what it answered.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return statusLine(socket);
        }, slowSenders);
    }

    private String post(String from, String path, String body) throws IOException {
        try (Socket socket = connect(from, path)) {
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Webhooks go to the webhook server, everything else to the web server. */
    private Socket connect(String from, String path) throws IOException {
        int to = path.startsWith("/webhooks/") ? webhookPort : port;
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), to, InetAddress.getByName(from), 0);
        socket.setSoTimeout(20_000);
        sockets.add(socket);
        return socket;
    }

    private static String statusLine(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            var line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().trim();
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }
}
