package io.messengerhub.attachment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.messengerhub.support.FacebookPayloads.attachments;
import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.file;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.WebhookClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Customers' files through the real pipeline, with a local stand-in for Facebook's CDN: every file type, the size
 * limit to the byte, files that lie about their type, hostile names, SSRF attempts, a server that stalls, and a
 * policy file changed while messages flow. The agent-visible error is checked word for word.
 */
@DirtiesContext
@TestPropertySource(properties = {
        "hub.attachments.max-attempts=2",
        "hub.attachments.retry-delay=100ms",
        "hub.attachments.max-retry-delay=200ms",
})
class AttachmentIntakeTest extends HubSystemTest {

    /** The CDN stand-in listens on 127.0.0.3, the one internal address the test policy lets through. */
    static final WireMockServer CDN = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.3"));
    static final Path POLICY;
    static final Path STORE;

    static {
        CDN.start();
        try {
            Path dir = Files.createTempDirectory("attachment-policy-");
            POLICY = dir.resolve("attachment-policy.yaml");
            STORE = dir.resolve("store");
            Files.writeString(POLICY, policy(true, 1000));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void policyAndStore(DynamicPropertyRegistry registry) {
        registry.add("hub.attachments.policy-file", POLICY::toString);
        registry.add("hub.attachments.store-dir", STORE::toString);
    }

    @Autowired
    AttachmentPolicyFile policyFile;

    @AfterEach
    void restorePolicy() throws IOException {
        writePolicy(policy(true, 1000));
        CDN.resetAll();
    }

    @Test
    void shouldDownloadSeveralFilesAtOnceNotOneCdnWaitAfterAnother() throws IOException {
        // A CDN that takes its time over each file, as a distant one does: the downloads should wait for it together.
        writePolicy(policy(true, 1000).replace("read-timeout-ms: 700", "read-timeout-ms: 5000"));
        byte[] png = png();
        var paths = java.util.List.of("/slow/a.png", "/slow/b.png", "/slow/c.png", "/slow/d.png");
        for (String path : paths) {
            CDN.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(path))
                    .willReturn(aResponse().withStatus(200).withBody(png).withFixedDelay(1500)));
        }

        String psid = sendFiles(paths.stream().map(path -> file("image", cdn(path))).toArray(String[]::new));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(psid, "STORED") == paths.size());
        var began = CDN.getAllServeEvents().stream().filter(event -> event.getRequest().getUrl().startsWith("/slow/"))
                .map(event -> event.getRequest().getLoggedDate().toInstant()).sorted().toList();
        assertThat(began).hasSize(paths.size());
        // Two at a time (as before hub.attachments.fetch-consumers), the last two would begin 1.5 s after the first; the
        // margin is wide for a slow machine.
        assertThat(Duration.between(began.get(0), began.get(began.size() - 1))).as("from the first download to the last")
                .isLessThan(Duration.ofMillis(1000));
    }

    @Test
    void shouldStoreEveryFileTypeUnderAGeneratedNameWithItsMetadata() throws IOException {
        byte[] png = png();
        serve("/v/photo.png", png);
        serve("/v/voice.mp3", bytes("494433030000000000000000", 200));
        serve("/v/clip.mp4", bytes("00000018667479706d703432", 300));
        serve("/v/report.pdf", ("%PDF-1.4\n" + "x".repeat(100)).getBytes(StandardCharsets.US_ASCII));
        serve("/v/sticker.png", png);

        String psid = sendFiles(file("image", cdn("/v/photo.png")), file("audio", cdn("/v/voice.mp3")),
                file("video", cdn("/v/clip.mp4")), file("file", cdn("/v/report.pdf")),
                io.messengerhub.support.FacebookPayloads.sticker(369239263222822L, cdn("/v/sticker.png")));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(psid, "STORED") == 5);
        Map<String, Object> photo = jdbc.sql("select * from attachment a join conversation c on c.id = a.conversation_id"
                + " where c.customer_psid = :psid and a.original_name = 'photo.png'").param("psid", psid).query().singleRow();
        assertThat(photo.get("detected_type")).isEqualTo("image/png");
        assertThat(((Number) photo.get("size_bytes")).longValue()).isEqualTo(png.length);
        assertThat(photo.get("sha256")).isEqualTo(sha256(png));
        String storedName = (String) photo.get("stored_name");
        assertThat(storedName).matches("[0-9a-f-]{36}\\.png");
        assertThat(Files.readAllBytes(STORE.resolve(storedName))).isEqualTo(png);
        assertThat(jdbc.sql("select detected_type from attachment a join conversation c on c.id = a.conversation_id"
                + " where c.customer_psid = :psid order by a.original_name").param("psid", psid).query(String.class).list())
                .containsExactlyInAnyOrder("image/png", "audio/mpeg", "video/mp4", "application/pdf", "image/png");
    }

    @Test
    void shouldServeAStoredFileOnlyToTokenHoldersAndTheAgentHoldingTheConversation() throws Exception {
        byte[] png = png();
        serve("/v/receipt.png", png);
        String psid = sendFiles(file("image", cdn("/v/receipt.png")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(psid, "STORED") == 1);
        Map<String, Object> row = jdbc.sql("select a.id, a.conversation_id from attachment a join conversation c on c.id = a.conversation_id"
                + " where c.customer_psid = :psid").param("psid", psid).query().singleRow();
        String path = "/api/attachments/" + row.get("id");

        var byToken = facebook.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + WebhookClient.API_TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(byToken.statusCode()).isEqualTo(200);
        assertThat(byToken.body()).isEqualTo(png);
        assertThat(byToken.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("image/png"));
        assertThat(byToken.headers().firstValue("Content-Disposition")).hasValue("attachment; filename*=UTF-8''receipt.png");

        assertThat(facebook.getApi(path, null).statusCode()).isEqualTo(401);
        assertThat(basic(path, "anna", "wrong")).isEqualTo(401);
        assertThat(basic(path, "anna", "demo-anna")).as("anna does not hold the conversation").isEqualTo(404);
        jdbc.sql("update conversation set state = 'ACTIVE', agent_id = 'anna' where id = :id").param("id", row.get("conversation_id")).update();
        assertThat(basic(path, "anna", "demo-anna")).isEqualTo(200);
        assertThat(basic(path, "ben", "demo-ben")).isEqualTo(404);
        assertThat(basic("/api/attachments/no-such-file", "anna", "demo-anna")).isEqualTo(404);
    }

    private int basic(String path, String user, String password) {
        String credentials = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return facebook.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + credentials).build()).statusCode();
    }

    @Test
    void shouldAcceptAFileOfExactlyTheLimitAndRefuseOneByteMoreWithoutLeavingAnythingBehind() throws IOException {
        serve("/v/exact.txt", "a".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        serve("/v/over.txt", "a".repeat(1001).getBytes(StandardCharsets.US_ASCII));
        CDN.stubFor(get(urlPathEqualTo("/v/chunked.txt")).willReturn(aResponse().withStatus(200)
                .withBody("b".repeat(5000)).withChunkedDribbleDelay(5, 50)));

        String psid = sendFiles(file("file", cdn("/v/exact.txt")), file("file", cdn("/v/over.txt")), file("file", cdn("/v/chunked.txt")));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(psid, "STORED") + count(psid, "REFUSED") == 3);
        assertThat(count(psid, "STORED")).isEqualTo(1);
        assertThat(reasons(psid)).containsExactlyInAnyOrder("too-large", "too-large");
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void shouldRefuseFilesThatLieAboutTheirTypeOrHaveABlockedExtension() throws IOException {
        serve("/v/holiday.jpg", bytes("4d5a90000300000004000000ffff0000", 200));
        serve("/v/invoice.png", ("%PDF-1.4\n" + "y".repeat(100)).getBytes(StandardCharsets.US_ASCII));
        serve("/v/tool.exe", "just text, but named .exe".getBytes(StandardCharsets.US_ASCII));

        String psid = sendFiles(file("image", cdn("/v/holiday.jpg")), file("image", cdn("/v/invoice.png")), file("file", cdn("/v/tool.exe")));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(psid, "REFUSED") == 3);
        assertThat(reasons(psid)).containsExactlyInAnyOrder("type-mismatch", "type-mismatch", "blocked-extension");
        JsonNode transcript = transcript(psid);
        var errors = Stream.of(toArray(transcript)).filter(m -> m.path("kind").asText().equals("error")).toList();
        assertThat(errors).hasSize(3);
        assertThat(errors).allSatisfy(error -> {
            assertThat(error.path("text").asText()).isEqualTo("Error: The customer sent an unsupported message type.");
            assertThat(error.path("attachments").get(0).path("reason").asText()).isIn("type-mismatch", "blocked-extension");
        });
        assertThat(storedFiles()).noneMatch(name -> name.endsWith(".exe") || name.endsWith(".jpg"));
        // The customer's message names its files by attachment id, never by CDN link: the refusals point at them.
        JsonNode original = Stream.of(toArray(transcript)).filter(m -> !m.path("kind").asText().equals("error")).findFirst().orElseThrow();
        assertThat(original.path("attachments").toString()).doesNotContain(cdn("/v/"));
        assertThat(original.path("attachments").findValuesAsText("attachmentId")).containsExactlyInAnyOrderElementsOf(
                errors.stream().map(e -> e.path("attachments").get(0).path("attachmentId").asText()).toList());
    }

    @Test
    void shouldKeepAHostileFileNameOnlyAsCleanedMetadata() throws IOException {
        // A control character and spaces in the name (path traversal in names: FileInspectorTest).
        serve("/v/%09..evil%20name.txt", "harmless".getBytes(StandardCharsets.US_ASCII));

        String psid = sendFiles(file("file", cdn("/v/%09..evil%20name.txt")));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(psid, "STORED") == 1);
        Map<String, Object> row = jdbc.sql("select original_name, stored_name from attachment a join conversation c"
                + " on c.id = a.conversation_id where c.customer_psid = :psid").param("psid", psid).query().singleRow();
        assertThat((String) row.get("original_name")).isEqualTo("evil name.txt");
        assertThat((String) row.get("stored_name")).matches("[0-9a-f-]{36}\\.txt");
        assertThat(Files.exists(STORE.resolve((String) row.get("stored_name")))).isTrue();
    }

    @Test
    void shouldRefuseUrlsThatPointInsideTheNetwork() throws IOException {
        serve("/v/ok.png", png());
        CDN.stubFor(get(urlPathEqualTo("/v/redirect.png")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://localhost:" + CDN.port() + "/v/ok.png")));
        int port = CDN.port();

        String psid = sendFiles(
                file("image", "http://127.0.0.1:" + port + "/v/ok.png"),
                file("image", "http://[::1]:" + port + "/v/ok.png"),
                file("image", "http://169.254.169.254/latest/meta-data/iam"),
                file("image", "http://localhost:" + port + "/v/ok.png"),
                file("image", cdn("/v/redirect.png")),
                file("image", "http://example.org/v/ok.png"));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(psid, "REFUSED") == 6);
        assertThat(reasons(psid)).containsExactlyInAnyOrder("private-address", "private-address", "private-address",
                "private-address", "private-address", "blocked-host");
        CDN.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/v/ok.png")));
    }

    @Test
    void shouldGiveUpOnAServerThatStallsMidBodyWithoutHoldingUpOtherMessages() throws IOException {
        CDN.stubFor(get(urlPathEqualTo("/v/stall.pdf")).willReturn(aResponse().withStatus(200)
                .withBody("%PDF-1.4 " + "z".repeat(400)).withChunkedDribbleDelay(2, 4000)));
        serve("/v/fast.png", png());

        String slow = sendFiles(file("file", cdn("/v/stall.pdf")));
        String fast = sendFiles(file("image", cdn("/v/fast.png")));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(fast, "STORED") == 1);
        assertThat(count(slow, "REFUSED")).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(slow, "REFUSED") == 1);
        assertThat(reasons(slow)).containsExactly("download-failed");
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void shouldApplyAChangedPolicyWithoutRestartAndKeepThePreviousOneWhenTheFileIsBroken() throws IOException {
        serve("/v/one.png", png());
        writePolicy(policy(false, 1000));
        String off = sendFiles(file("image", cdn("/v/one.png")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(off, "REFUSED") == 1);
        assertThat(reasons(off)).containsExactly("customer-attachments-off");

        writePolicy(policy(true, 1000).replace("max-size-bytes: 1000", "max-size-bytes: [oops"));
        String stillOff = sendFiles(file("image", cdn("/v/one.png")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(stillOff, "REFUSED") == 1);
        assertThat(reasons(stillOff)).containsExactly("customer-attachments-off");
        assertThat(policyFile.lastError()).contains("line ");

        writePolicy(policy(true, 1000));
        String on = sendFiles(file("image", cdn("/v/one.png")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(on, "STORED") == 1);
    }

    private static String policy(boolean customersMaySend, long maxBytes) {
        return """
                customers-may-send: %s
                agents-may-send: true
                max-size-bytes: %d
                blocked-extensions: [exe, bat, js]
                allowed-content-types: [image/png, image/jpeg, audio/mpeg, video/mp4, application/pdf, text/plain]
                download:
                  allowed-hosts: [127.0.0.1, 127.0.0.3, "[::1]", 169.254.169.254, localhost]
                  private-address-hosts: [127.0.0.3]
                  connect-timeout-ms: 1000
                  read-timeout-ms: 700
                """.formatted(customersMaySend, maxBytes);
    }

    /** Writes the policy and waits until the hub has read it (route attachment-policy-reload). */
    private void writePolicy(String content) throws IOException {
        if (!content.equals(Files.readString(POLICY))) {
            io.messengerhub.support.PolicyFiles.write(policyFile, POLICY, content);
        }
    }

    private String sendFiles(String... files) {
        String psid = unique("files");
        facebook.postSigned(webhook(entry(SALES_PAGE, attachments(SALES_PAGE, psid, "m-" + psid, files))));
        return psid;
    }

    private static String cdn(String path) {
        return "http://127.0.0.3:" + CDN.port() + path;
    }

    private static void serve(String path, byte[] body) {
        CDN.stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(path))
                .willReturn(aResponse().withStatus(200).withBody(body)));
    }

    private int count(String psid, String status) {
        return jdbc.sql("select count(*) from attachment a join conversation c on c.id = a.conversation_id"
                        + " where c.customer_psid = :psid and a.status = :status")
                .param("psid", psid).param("status", status).query(Integer.class).single();
    }

    private java.util.List<String> reasons(String psid) {
        return jdbc.sql("select reason from attachment a join conversation c on c.id = a.conversation_id"
                        + " where c.customer_psid = :psid and a.status = 'REFUSED'")
                .param("psid", psid).query(String.class).list();
    }

    private JsonNode transcript(String psid) {
        JsonNode conversations = readJson(facebook.getApi("/api/conversations?psid=" + psid, WebhookClient.API_TOKEN).body());
        return readJson(facebook.getApi("/api/conversations/" + conversations.get(0).path("id").asText() + "/messages",
                WebhookClient.API_TOKEN).body());
    }

    private static JsonNode[] toArray(JsonNode array) {
        var list = new java.util.ArrayList<JsonNode>();
        array.forEach(list::add);
        return list.toArray(JsonNode[]::new);
    }

    private static java.util.List<String> storedFiles() throws IOException {
        if (!Files.exists(STORE)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(STORE)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static java.util.List<Path> partialFiles() throws IOException {
        if (!Files.exists(STORE)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.walk(STORE)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
        }
    }

    private static byte[] png() {
        return io.messengerhub.support.TestFiles.onePixelPng();
    }

    private static byte[] bytes(String hexPrefix, int length) {
        byte[] prefix = HexFormat.of().parseHex(hexPrefix);
        byte[] all = Arrays.copyOf(prefix, Math.max(length, prefix.length));
        return all;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
