package io.messengerhub.operations;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The hub and its PostgreSQL out of step, as issue 13 asks. Started before its database, the hub keeps running: alive,
 * not ready (503 on the readiness probe and to webhooks), and it starts its routes once the database is there. The
 * database stopped under load: webhooks are still answered 200 and stored on the broker, processing pauses instead
 * of using up the events' delivery attempts (three here, 100 ms apart: without the pause every event would end on the
 * dead-letter queue within seconds), and catches up when the database is back. Nothing is lost.
 */
class DatabaseOutageTest {

    private static final String PAGE = HubSystemTest.SALES_PAGE;
    private static final String DATABASE = "hub_outage";

    private final int databasePort = TestAgents.freePort();
    private Path databaseFiles;
    private EmbeddedPostgres database;
    private ConfigurableApplicationContext hub;

    @AfterEach
    void stop() throws IOException {
        if (hub != null) {
            hub.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void shouldWaitForItsDatabaseAndLoseNothingWhileTheDatabaseIsAway() throws Exception {
        databaseFiles = Files.createTempDirectory("hub-outage-pg");
        startDatabase();
        try (var connection = DriverManager.getConnection(database.getJdbcUrl("postgres", "postgres"), "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("create database " + DATABASE);
        }
        stopDatabase();

        // 1. The hub starts before its database: it waits, alive and not ready.
        int httpPort = TestAgents.freePort();
        int webhookPort = TestAgents.freePort();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<ConfigurableApplicationContext> starting = starter.submit(() -> startHub(httpPort, webhookPort));
        var facebook = new WebhookClient(httpPort, webhookPort);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> facebook.get("/actuator/health/readiness").statusCode() == 503);
        assertThat(facebook.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        String early = String.valueOf(System.nanoTime());
        assertThat(facebook.postSigned(message(early, "Anyone there?")).statusCode()).isEqualTo(503);
        Thread.sleep(3000);
        assertThat(starting.isDone()).as("the hub waits for its database instead of failing").isFalse();
        assertThat(facebook.get("/actuator/health/readiness").statusCode()).isEqualTo(503);

        startDatabase();
        hub = starting.get(90, TimeUnit.SECONDS);
        starter.shutdown();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> facebook.get("/actuator/health/readiness").statusCode() == 200);
        assertThat(facebook.postSigned(message(early, "Anyone there?")).statusCode()).isEqualTo(200);
        var jdbc = hub.getBean(JdbcClient.class);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> conversationsOf(jdbc, List.of(early)) == 1);

        // 2. The database goes away under load: webhooks are still stored and answered 200, processing pauses.
        stopDatabase();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String psid = String.valueOf(System.nanoTime());
            customers.add(psid);
            assertThat(facebook.postSigned(message(psid, "Message " + i)).statusCode()).isEqualTo(200);
        }
        var camel = hub.getBean(CamelContext.class);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> ServiceHelper.isSuspended(camel.getRoute("webhook-process").getConsumer()));
        // Far longer than three attempts 100-200 ms apart take.
        Thread.sleep(6000);
        var broker = hub.getBean(EmbeddedActiveMQ.class).getActiveMQServer();
        assertThat(queued(broker, "hub.webhook.dead-letter")).as("dead-lettered while the database was away").isZero();
        assertThat(queued(broker, "hub.webhook.inbound")).as("waiting on the broker").isEqualTo(20);
        assertThat(facebook.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        // 3. The database is back: processing resumes and catches up.
        startDatabase();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> conversationsOf(jdbc, customers) == customers.size());
        assertThat(ServiceHelper.isSuspended(camel.getRoute("webhook-process").getConsumer())).isFalse();
        assertThat(queued(broker, "hub.webhook.dead-letter")).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queued(broker, "hub.webhook.inbound") == 0);
    }

    private void startDatabase() throws IOException {
        database = EmbeddedPostgres.builder().setPort(databasePort).setDataDirectory(databaseFiles)
                .setCleanDataDirectory(false).start();
    }

    private void stopDatabase() throws IOException {
        database.close();
        database = null;
    }

    private ConfigurableApplicationContext startHub(int httpPort, int webhookPort) {
        return StandaloneHub.start(
                "--server.port=" + httpPort,
                "--hub.webhook.port=" + webhookPort,
                "--hub.data-dir=" + HubSystemTest.newDataDir(),
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + databasePort + "/" + DATABASE,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--hub.database.outage-check-interval=500ms",
                "--hub.broker.tcp-acceptor=",
                "--hub.broker.max-delivery-attempts=3",
                "--hub.broker.redelivery-delay=100ms",
                "--hub.broker.max-redelivery-delay=200ms");
    }

    private static String message(String psid, String text) {
        return webhook(entry(PAGE, textAt(PAGE, psid, "m-" + psid + "-" + text.hashCode(), text, System.currentTimeMillis())));
    }

    private static int conversationsOf(JdbcClient jdbc, List<String> customers) {
        return jdbc.sql("select count(*) from conversation where customer_psid in (:psids)").param("psids", customers)
                .query(Integer.class).single();
    }

    /** Messages on a queue, also those handed to a (paused) consumer and not yet acknowledged. */
    private static long queued(ActiveMQServer broker, String queue) {
        return broker.locateQueue(SimpleString.of(queue)).getMessageCount();
    }
}
