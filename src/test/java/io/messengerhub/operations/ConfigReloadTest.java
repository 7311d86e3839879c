package io.messengerhub.operations;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.text;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.messengerhub.search.KnowledgeBase;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.StandaloneHub;
import io.messengerhub.workspace.QuickReplyTemplates;
import jakarta.jms.Message;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jms.core.JmsTemplate;

/**
 * Routing rules, Pages, quick replies, operating hours, agents and knowledge articles put in force while the hub runs,
 * from the files of its config directory: each change reaches the next conversation, login or command, a broken file
 * is refused with its line and the version in force goes on.
 */
class ConfigReloadTest {

    private static final String PAGE = HubSystemTest.SALES_PAGE;

    /** Not the shipped config/routing.yaml's rule (refund goes to billing there): the hub reads this directory's. */
    private static final String REFUNDS_TO_RETURNS = """
            hub:
              routing:
                rules:
                  - name: refunds
                    keywords: [refund]
                    queue: returns
            """;

    @TempDir
    Path configDir;

    private ConfigurableApplicationContext hub;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger reloadLogger = (Logger) LoggerFactory.getLogger(ConfigReload.class);

    @AfterEach
    void stopHub() {
        reloadLogger.detachAppender(log);
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void shouldRouteTheNextConversationByAChangedRoutingYamlAndRefuseABrokenOneKeepingTheRulesInForce() throws IOException {
        write("routing.yaml", REFUNDS_TO_RETURNS);
        hub = StandaloneHub.start("--server.port=0", "--hub.broker.tcp-acceptor=",
                "--hub.data-dir=" + HubSystemTest.newDataDir(), "--hub.config.dir=" + configDir);
        log.start();
        reloadLogger.addAppender(log);
        assertThat(queueOf(newConversation(PAGE, "I want a refund"))).isEqualTo("returns");

        // A misspelt condition: Spring would ignore "keyword" and the rule would take every conversation.
        write("routing.yaml", """
                hub:
                  routing:
                    rules:
                      - name: parcels
                        keyword: [parcel]
                        queue: logistics
                """);

        ILoggingEvent refusal = awaitLog(Level.WARN, configDir.resolve("routing.yaml") + ":5:");
        assertThat(refusal.getFormattedMessage()).contains("Refused the changed", "the routing rules in force stay",
                "hub.routing.rules[0].keyword: 'keyword' is not a known key");
        assertThat(queueOf(newConversation(PAGE, "I want a refund"))).isEqualTo("returns");
        assertThat(queueOf(newConversation(PAGE, "Where is my parcel?"))).isEqualTo("sales");

        write("routing.yaml", """
                hub:
                  routing:
                    rules:
                      - name: parcels
                        keywords: [parcel]
                        queue: logistics
                """);

        ILoggingEvent reload = awaitLog(Level.INFO, "Routing rules of");
        assertThat(reload.getFormattedMessage()).contains("added rule 'parcels' (queue logistics)", "removed rule 'refunds'");
        String parcel = newConversation(PAGE, "Where is my parcel?");
        assertThat(queueOf(parcel)).isEqualTo("logistics");
        // logistics is a queue no rule named at start-up: its offer queue was made for it.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> offersOn("logistics", parcel) == 1);
        assertThat(queueOf(newConversation(PAGE, "I want a refund"))).isEqualTo("sales");
    }

    @Test
    void shouldPutChangedPagesQuickRepliesAndOperatingHoursInForceAndRefuseBrokenOnes() throws IOException {
        write("channels.yaml", channels("sales"));
        write("quick-replies.yaml", """
                hub:
                  quick-replies:
                    - id: hello
                      title: Hello
                      text: "Hello {firstName}!"
                """);
        Path knowledge = Files.createDirectories(configDir.resolve("knowledge"));
        hub = StandaloneHub.start("--server.port=0", "--hub.broker.tcp-acceptor=", "--hub.data-dir=" + HubSystemTest.newDataDir(),
                "--hub.config.dir=" + configDir, "--hub.knowledge.dir=" + knowledge, "--!hub.channels", "--!hub.operating-hours");
        log.start();
        reloadLogger.addAppender(log);
        assertThat(queueOf(newConversation())).isEqualTo("sales");

        // The Page's queue changes: the next conversation goes to the new queue.
        write("channels.yaml", channels("vip"));
        assertThat(awaitLog(Level.INFO, "Pages of").getFormattedMessage()).contains("changed Page '" + PAGE + "'");
        assertThat(queueOf(newConversation())).isEqualTo("vip");
        // Two Pages with one id: refused with its line, the Pages in force stay.
        write("channels.yaml", channels("sales") + """
                      - id: "%s"
                        name: Again
                        queue: other
                """.formatted(PAGE));
        assertThat(awaitLog(Level.WARN, "more than once").getFormattedMessage())
                .contains("Refused the changed " + configDir.resolve("channels.yaml"), "the pages in force stay");
        assertThat(queueOf(newConversation())).isEqualTo("vip");

        write("quick-replies.yaml", """
                hub:
                  quick-replies:
                    - id: hello
                      title: Hello
                      text: "Hello {firstName}!"
                    - id: thanks
                      title: Thanks
                      text: "Thank you for waiting."
                """);
        assertThat(awaitLog(Level.INFO, "Quick replies of").getFormattedMessage()).contains("added quick reply 'thanks'");
        assertThat(hub.getBean(QuickReplyTemplates.class).template("thanks")).isPresent();
        write("quick-replies.yaml", """
                hub:
                  quick-replies:
                    - id: hello
                      titel: Hello
                """);
        // While the file is written the watcher may see it empty for a moment, which is refused too.
        assertThat(awaitLog(Level.WARN, configDir.resolve("quick-replies.yaml") + ":4:").getFormattedMessage())
                .contains("Refused the changed", "titel");
        assertThat(hub.getBean(QuickReplyTemplates.class).template("thanks")).isPresent();

        // A knowledge article added while the hub runs is found (route knowledge-reload, Camel's file-watch).
        assertThat(hub.getBean(KnowledgeBase.class).article("returns")).isEmpty();
        Files.writeString(knowledge.resolve("returns.md"), """
                ---
                title: Returning a parcel
                tags: [returns]
                ---
                Print the label and drop the parcel at any post office.
                """);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> hub.getBean(KnowledgeBase.class).article("returns").isPresent());

        // The queue closes for good (open one minute a week, on a day long past): its next conversation overflows.
        write("operating-hours.yaml", """
                hub:
                  operating-hours:
                    queues:
                      - name: vip
                        time-zone: UTC
                        open: ["SUN 00:00-00:01"]
                        holidays: ["%s"]
                        outside-hours:
                          action: transfer
                          transfer-to: general
                """.formatted(java.time.LocalDate.now(java.time.ZoneOffset.UTC).with(
                java.time.temporal.TemporalAdjusters.nextOrSame(java.time.DayOfWeek.SUNDAY))));
        assertThat(awaitLog(Level.INFO, "Operating hours of").getFormattedMessage()).contains("added queue 'vip'");
        assertThat(queueOf(newConversation())).isEqualTo("general");
    }

    @Test
    void shouldLetAnAgentAddedToAgentsYamlLogInAtOnceAndOneRemovedNoMore() throws Exception {
        String doraHash = io.messengerhub.agent.PasswordHashes.hash("pw-dora");
        String erikHash = io.messengerhub.agent.PasswordHashes.hash("pw-erik");
        write("agents.yaml", agents("""
                      - id: dora
                        password-hash: "%s"
                        queues: [sales]
                """.formatted(doraHash)));
        String brokerUrl = "tcp://127.0.0.1:" + io.messengerhub.support.TestAgents.freePort();
        hub = StandaloneHub.start("--server.port=0", "--hub.broker.tcp-acceptor=" + brokerUrl,
                "--hub.data-dir=" + HubSystemTest.newDataDir(), "--hub.config.dir=" + configDir);
        log.start();
        reloadLogger.addAppender(log);
        try (var dora = new io.messengerhub.support.AgentSession(brokerUrl, "dora", "pw-dora")) {
            assertThat(dora.result(dora.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }

        write("agents.yaml", agents("""
                      - id: erik
                        password-hash: "%s"
                        queues: [sales]
                """.formatted(erikHash)));
        assertThat(awaitLog(Level.INFO, "Agents of").getFormattedMessage())
                .contains("added agent 'erik'", "removed agent 'dora'");
        // No restart: the broker takes erik's login and his inbox is there; dora's login no longer counts.
        try (var erik = new io.messengerhub.support.AgentSession(brokerUrl, "erik", "pw-erik")) {
            assertThat(erik.result(erik.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new io.messengerhub.support.AgentSession(brokerUrl, "dora", "pw-dora").close()).isInstanceOf(Exception.class);

        // A password hash that is not one: refused with its line, erik keeps working.
        write("agents.yaml", agents("""
                      - id: erik
                        password-hash: "plain-text-password"
                        queues: [sales]
                """));
        assertThat(awaitLog(Level.WARN, "password-hash").getFormattedMessage()).contains("Refused the changed", "the agents in force stay");
        try (var erik = new io.messengerhub.support.AgentSession(brokerUrl, "erik", "pw-erik")) {
            assertThat(erik.result(erik.client().setPresence("OFFLINE")).path("ok").asBoolean()).isTrue();
        }
    }

    private static String agents(String members) {
        return """
                hub:
                  agents:
                    members:
                """ + members;
    }

    private static String channels(String queue) {
        return """
                hub:
                  channels:
                    pages:
                      - id: "%s"
                        name: Test Sales
                        queue: %s
                """.formatted(PAGE, queue);
    }

    private void write(String file, String content) throws IOException {
        Files.writeString(configDir.resolve(file), content);
    }

    private ILoggingEvent awaitLog(Level level, String text) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> List.copyOf(log.list).stream()
                        .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text)).findFirst(),
                java.util.Optional::isPresent).get();
    }

    private String newConversation() {
        return newConversation(PAGE, "Hello");
    }

    /** A new customer's first message to the Page; answers the customer's PSID once the conversation is recorded. */
    private String newConversation(String page, String firstMessage) {
        String psid = "psid-config-" + System.nanoTime();
        var response = StandaloneHub.client(hub).postSigned(webhook(entry(page, text(page, psid, "m-" + psid, firstMessage))));
        assertThat(response.statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> queueOf(psid) != null);
        return psid;
    }

    private String queueOf(String psid) {
        return hub.getBean(JdbcClient.class).sql("select queue from conversation where customer_psid = :psid")
                .param("psid", psid).query(String.class).optional().orElse(null);
    }

    private int offersOn(String queue, String psid) {
        var count = new AtomicInteger();
        hub.getBean(JmsTemplate.class).browse("contact-center.offers." + queue, (session, browser) -> {
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                if (((Message) messages.nextElement()).getBody(String.class).contains(psid)) {
                    count.incrementAndGet();
                }
            }
            return null;
        });
        return count.get();
    }
}
