package io.messengerhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.StandaloneHub;
import io.messengerhub.support.TestAgents;
import io.messengerhub.support.WebhookClient;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second hub started by mistake under the instance id of a running one, on the same broker and database: it says
 * why in its log, stops its routes and stays not ready, while the first goes on. A hub with an id of its own runs.
 */
class InstanceIdGuardTest {

    private static final String PASSWORD = "guard-test-broker-password";

    private final List<ConfigurableApplicationContext> hubs = new ArrayList<>();

    @AfterEach
    void stopHubs() {
        var newestFirst = new ArrayList<>(hubs);
        java.util.Collections.reverse(newestFirst);
        newestFirst.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void shouldStopASecondHubWithTheSameInstanceIdAndLetOneWithItsOwnIdRun() {
        Path firstData = HubSystemTest.newDataDir();
        int brokerPort = TestAgents.freePort();
        var first = start("--hub.data-dir=" + firstData,
                "--hub.broker.tcp-acceptor=tcp://127.0.0.1:" + brokerPort,
                "--hub.cluster.instance-id=hub-a");
        String database = first.getEnvironment().getRequiredProperty("spring.datasource.url");
        String[] sameBrokerAndDatabase = {
                "--spring.artemis.mode=native",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort,
                "--spring.artemis.user=hub",
                "--spring.artemis.password=" + PASSWORD,
                "--spring.datasource.url=" + database,
                "--hub.broker.tcp-acceptor="};

        var twin = start(with(sameBrokerAndDatabase, "--hub.cluster.instance-id=hub-a"));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> readiness(twin) == 503);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> twin.getBean(CamelContext.class).getRouteController()
                .getRouteStatus("webhook-process") == ServiceStatus.Stopped);
        assertThat(readiness(first)).isEqualTo(200);
        assertThat(first.getBean(CamelContext.class).getRouteController().getRouteStatus("webhook-process"))
                .isEqualTo(ServiceStatus.Started);

        var other = start(with(sameBrokerAndDatabase, "--hub.cluster.instance-id=hub-b"));

        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> readiness(other) == 200);
        assertThat(other.getBean(CamelContext.class).getRouteController().getRouteStatus("webhook-process"))
                .isEqualTo(ServiceStatus.Started);
    }

    private ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of(args));
        all.add("--server.port=0");
        all.add("--hub.broker.password=" + PASSWORD);
        var hub = StandaloneHub.start(all.toArray(String[]::new));
        hubs.add(hub);
        return hub;
    }

    /** The common arguments, a data directory (files, index) of its own, and the extra one. */
    private static String[] with(String[] common, String extra) {
        var all = new ArrayList<>(List.of(common));
        all.add("--hub.data-dir=" + HubSystemTest.newDataDir());
        all.add(extra);
        return all.toArray(String[]::new);
    }

    private static int readiness(ConfigurableApplicationContext hub) {
        int port = ((ServletWebServerApplicationContext) hub).getWebServer().getPort();
        return new WebhookClient(port, 0).get("/actuator/health/readiness").statusCode();
    }
}
