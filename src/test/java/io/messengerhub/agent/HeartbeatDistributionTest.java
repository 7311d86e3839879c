package io.messengerhub.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.messengerhub.support.AgentSession;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Heartbeats keep an agent's connection alive and nothing more: work is distributed on the timer and right after
 * the commands that change supply or demand (presence, reject, end, close, release, transfer), not on every
 * heartbeat of every agent.
 */
@TestPropertySource(properties = {
        "hub.agents.distribution-interval=3600000",
        "hub.agents.queues[0].name=sales",
})
class HeartbeatDistributionTest extends HubSystemTest {

    private static TestAgents agents;

    @DynamicPropertySource
    static void agentsAndBroker(DynamicPropertyRegistry registry) {
        agents = TestAgents.register(registry);
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldNotDistributeWorkOnHeartbeatsButOnAPresenceChange() throws Exception {
        try (AgentSession anna = agents.anna(Duration.ofMillis(100))) {
            anna.result(anna.client().setPresence("AWAY"));
            // The timer's first pass and the pass after the presence command are over.
            Thread.sleep(2000);
            long before = passes();

            Thread.sleep(2000);
            assertThat(passes()).as("about 20 heartbeats started no distribution pass").isEqualTo(before);

            anna.result(anna.client().setPresence("AVAILABLE"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> passes() > before);
        }
    }

    /** Distribution passes so far, as the route's own timer (RouteTimers) counts them. */
    private long passes() {
        var timer = meters.find("camel.route.policy").tag("routeId", "work-distribution").timer();
        return timer == null ? 0 : timer.count();
    }
}
