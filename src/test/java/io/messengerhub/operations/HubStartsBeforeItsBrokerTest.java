package io.messengerhub.operations;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.StandaloneHub;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A hub in native broker mode started while its broker is not there yet: it keeps running, alive and not ready (503
 * to webhooks, which it could not store), and once the broker is up it becomes ready by itself and a webhook goes
 * through to processing. The broker here is the embedded one of another hub whose routes do not start, so that
 * only the late hub processes.
 */
class HubStartsBeforeItsBrokerTest {

    private static final String PAGE = HubSystemTest.SALES_PAGE;
    private static final String PASSWORD = "late-broker-test-password";

    private ConfigurableApplicationContext late;
    private ConfigurableApplicationContext broker;

    @AfterEach
    void stopHubs() {
        // The hub that waited first, while the broker it is connected to is still there to close its sessions.
        if (late != null) {
            late.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldWaitNotReadyForItsBrokerAndTakeWebhooksOnceItIsUp() throws Exception {
        int brokerPort = TestAgents.freePort();
        int httpPort = TestAgents.freePort();
        int webhookPort = TestAgents.freePort();

        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<ConfigurableApplicationContext> starting = starter.submit(() -> start(
                "--server.port=" + httpPort,
                "--hub.webhook.port=" + webhookPort,
                "--hub.data-dir=" + HubSystemTest.newDataDir(),
                "--spring.artemis.mode=native",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=-1&retryInterval=500",
                "--spring.artemis.user=hub",
                "--spring.artemis.password=" + PASSWORD,
                "--hub.broker.tcp-acceptor=",
                "--hub.cluster.instance-id=late"));
        var facebook = new WebhookClient(httpPort, webhookPort);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> facebook.get("/actuator/health/liveness").statusCode() == 200);
        assertThat(facebook.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        String psid = String.valueOf(System.nanoTime());
        String event = webhook(entry(PAGE, textAt(PAGE, psid, "m-" + psid, "Is anyone there?", System.currentTimeMillis())));
        assertThat(facebook.postSigned(event).statusCode()).isEqualTo(503);

        broker = start("--server.port=0",
                "--hub.data-dir=" + HubSystemTest.newDataDir(),
                "--hub.broker.tcp-acceptor=tcp://127.0.0.1:" + brokerPort,
                "--hub.cluster.instance-id=broker-side",
                "--camel.main.auto-startup=false");

        late = starting.get(120, TimeUnit.SECONDS);
        starter.shutdown();
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> facebook.get("/actuator/health/readiness").statusCode() == 200);
        // Facebook sends the refused webhook again.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> facebook.postSigned(event).statusCode() == 200);
        var jdbc = late.getBean(JdbcClient.class);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "select count(*) from conversation where customer_psid = :psid").param("psid", psid).query(Integer.class).single() == 1);
    }

    private static ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of(args));
        all.add("--hub.broker.password=" + PASSWORD);
        return StandaloneHub.start(all.toArray(String[]::new));
    }
}
