package io.messengerhub.agent;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Several distributors at once over the same database, as several hub instances would run: every conversation
 * gets at most one pending offer and no agent is offered more than its capacity. (The in-process distributors
 * share nothing but the database, which is exactly what separate instances share.)
 */
@DirtiesContext
@TestPropertySource(properties = {
        // The timer stays out of the way; the test runs the distributors itself.
        "hub.agents.distribution-interval=3600000",
        "hub.agents.queues[0].name=sales",
})
class ConcurrentDistributionTest extends HubSystemTest {

    @DynamicPropertySource
    static void agents(DynamicPropertyRegistry registry) {
        TestAgents.register(registry);
    }

    @Autowired
    WorkDistribution distribution;

    @Autowired
    AgentStates states;

    @Test
    void shouldNeverOfferAConversationTwiceNorOverbookAnAgent() throws Exception {
        List<String> psids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String psid = "c" + System.nanoTime();
            psids.add(psid);
            facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m-" + psid, "hello " + i, System.currentTimeMillis()))));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> psids.stream().allMatch(p -> conversationsOf(p) == 1));
        states.choose("anna", Presence.AVAILABLE);
        states.choose("ben", Presence.AVAILABLE);

        var pool = Executors.newFixedThreadPool(4);
        var start = new CountDownLatch(1);
        var runs = new ArrayList<Future<?>>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(() -> {
                start.await();
                distribution.distribute();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();

        assertThat(jdbc.sql("select count(*) from conversation_offer where state = 'PENDING' group by conversation_id having count(*) > 1")
                .query(Integer.class).list()).isEmpty();
        assertThat(pending("anna")).isLessThanOrEqualTo(2);
        assertThat(pending("ben")).isLessThanOrEqualTo(1);

        // A distributor that lost a deadlock left its conversation waiting; the next pass offers it.
        distribution.distribute();
        assertThat(pending("anna")).isEqualTo(2);
        assertThat(pending("ben")).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from pending_offer").query(Integer.class).single()).isEqualTo(3);
    }

    private int pending(String agentId) {
        return jdbc.sql("select count(*) from conversation_offer where agent_id = :agent and state = 'PENDING'")
                .param("agent", agentId).query(Integer.class).single();
    }
}
