package io.messengerhub.cluster;

import static io.messengerhub.support.FacebookPayloads.entry;
import static io.messengerhub.support.FacebookPayloads.textAt;
import static io.messengerhub.support.FacebookPayloads.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.messengerhub.agent.AgentStates;
import io.messengerhub.agent.Presence;
import io.messengerhub.agent.WorkDistribution;
import io.messengerhub.support.HubSystemTest;
import io.messengerhub.support.TestAgents;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Another hub instance on the same database holds a once-only timer's lock, taken the way that instance's ShedLock
 * takes it: this hub's timer ticks but does nothing; once the lock is released or runs out, this hub does the work.
 * And several instances trying for one lock at the same moment: exactly one gets it.
 */
@TestPropertySource(properties = {
        "hub.conversations.inactivity-timeout=2s",
        "hub.conversations.inactivity-check-interval=200",
        "hub.agents.distribution-interval=200",
        "hub.agents.offer-timeout=1s",
        "hub.agents.heartbeat-timeout=10m",
        "hub.agents.queues[0].name=sales",
})
class OnceAcrossHubsTest extends HubSystemTest {

    private static final String OTHER_HUB = "other-hub";

    @DynamicPropertySource
    static void agents(DynamicPropertyRegistry registry) {
        TestAgents.register(registry);
    }

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate database;

    @Autowired
    ClusterProperties cluster;

    @Autowired
    WorkDistribution distribution;

    @Autowired
    AgentStates states;

    private final List<SimpleLock> heldByOtherHub = new ArrayList<>();

    @AfterEach
    void otherHubLetsGo() {
        heldByOtherHub.forEach(SimpleLock::unlock);
        states.choose("anna", Presence.OFFLINE);
    }

    @Test
    void shouldGiveUpWhatAnEarlierRunOfThisInstanceHeldWhenItStartsAgainButNotWhatOthersHold() {
        otherHubTakes("retention", Duration.ofMinutes(10));
        // What this instance held when it was killed mid-run: a lock until far ahead, by its own name.
        database.update("insert into shedlock (name, lock_until, locked_at, locked_by) values (?, ?, ?, ?)",
                "restart-test", java.sql.Timestamp.from(Instant.now().plus(Duration.ofMinutes(10))),
                java.sql.Timestamp.from(Instant.now()), cluster.instanceId());

        // (This running instance's own timers' locks are given up too: harmless, they are taken again at the next tick.)
        assertThat(ClusterConfiguration.releaseLocksOf(database, cluster.instanceId())).isPositive();

        assertThat(database.queryForObject("select lock_until <= locked_at from shedlock where name = 'restart-test'", Boolean.class))
                .isTrue();
        assertThat(lockedBy("retention")).isEqualTo(OTHER_HUB);
        assertThat(database.queryForObject("select lock_until > locked_at from shedlock where name = 'retention'", Boolean.class))
                .as("another instance's lock stays").isTrue();
        database.update("delete from shedlock where name = 'restart-test'");
    }

    @Test
    void shouldNotCloseAnIdleConversationWhileAnotherInstanceHoldsTheInactivityLockAndCloseItOnceTheLockRunsOut() {
        // Long enough for the webhook, the idle time and three ticks to pass inside it on a slow machine.
        Duration held = Duration.ofSeconds(15);
        Instant heldUntil = Instant.now().plus(held);
        otherHubTakes("conversation-inactivity", held);
        String psid = unique("idle");
        long lastActivity = System.currentTimeMillis();
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, "hello?", lastActivity))));
        String conversation = awaitOffers("sales", psid, 1).get(0).path("conversationId").asText();

        // Idle for longer than the timeout, and this hub's timer ticked three times since.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > lastActivity + 2_500);
        assertThat(ticks("conversation-inactivity", 3)).isTrue();
        assertThat(Instant.now()).as("still within the other instance's lock").isBefore(heldUntil);
        assertThat(stateOf(conversation)).isEqualTo("OPEN");

        // The other instance died without releasing it: when its lock_until has passed, this hub takes over.
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> stateOf(conversation).equals("CLOSED"));
        assertThat(Instant.now()).isAfter(heldUntil);
        assertThat(lockedBy("conversation-inactivity")).isEqualTo(cluster.instanceId());
    }

    @Test
    void shouldLeaveAnExpiredOfferPendingWhileAnotherInstanceHoldsTheDistributionLockAndWithdrawItOnceReleased() {
        SimpleLock distributionLock = otherHubTakes("work-distribution-timer", Duration.ofMinutes(1));
        // The conversation stays open whatever this test's short inactivity timeout says.
        otherHubTakes("conversation-inactivity", Duration.ofMinutes(1));
        states.choose("anna", Presence.AVAILABLE);
        String psid = unique("offer");
        facebook.postSigned(webhook(entry(SALES_PAGE, textAt(SALES_PAGE, psid, "m1-" + psid, "anyone?", System.currentTimeMillis()))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> conversationsOf(psid) == 1);
        // What the other instance's timer (or a command on any instance) does: the conversation is offered to anna.
        distribution.distribute();
        Instant offeredBy = Instant.now();
        String offer = database.queryForObject("select o.id from conversation_offer o join conversation c on c.id = o.conversation_id"
                + " where c.customer_psid = ?", String.class, psid);
        assertThat(offerState(offer)).isEqualTo("PENDING");

        // Its countdown (1 s) is over, and this hub's timer ticked three times since.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(offeredBy.plusMillis(1_300)));
        assertThat(ticks("work-distribution-timer", 3)).isTrue();
        assertThat(offerState(offer)).isEqualTo("PENDING");

        distributionLock.unlock();
        heldByOtherHub.remove(distributionLock);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> offerState(offer).equals("EXPIRED"));
        assertThat(lockedBy("work-distribution-timer")).isEqualTo(cluster.instanceId());
    }

    @Test
    void shouldGiveALockToExactlyOneOfSeveralInstancesTryingAtOnce() throws Exception {
        List<LockProvider> hubs = List.of(ClusterConfiguration.lockProvider(database, "hub-a"),
                ClusterConfiguration.lockProvider(database, "hub-b"), ClusterConfiguration.lockProvider(database, "hub-c"),
                ClusterConfiguration.lockProvider(database, "hub-d"));
        var pool = Executors.newFixedThreadPool(hubs.size());
        try {
            for (int round = 0; round < 20; round++) {
                String name = "race-" + round + "-" + System.nanoTime();
                // The first lock of a name inserts its row, ...
                List<SimpleLock> winners = race(pool, hubs, name);
                assertThat(winners).as("new lock %s", name).hasSize(1);
                winners.get(0).unlock();
                // ... a later one updates it.
                winners = race(pool, hubs, name);
                assertThat(winners).as("released lock %s", name).hasSize(1);
                winners.get(0).unlock();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static List<SimpleLock> race(java.util.concurrent.ExecutorService pool, List<LockProvider> hubs, String name)
            throws Exception {
        var start = new CountDownLatch(1);
        var attempts = new ArrayList<Future<Optional<SimpleLock>>>();
        for (LockProvider hub : hubs) {
            attempts.add(pool.submit(() -> {
                start.await();
                return hub.lock(new LockConfiguration(Instant.now(), name, Duration.ofMinutes(1), Duration.ZERO));
            }));
        }
        start.countDown();
        var winners = new ArrayList<SimpleLock>();
        for (Future<Optional<SimpleLock>> attempt : attempts) {
            attempt.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
        }
        return winners;
    }

    /**
     * The other instance takes the route's lock while this hub's own run does not hold it: this hub keeps it for 4/5 of
     * each 200 ms period, so the attempts come at an interval that is no divisor of the period and meet the gap.
     */
    private SimpleLock otherHubTakes(String routeId, Duration lockAtMostFor) {
        LockProvider otherHub = ClusterConfiguration.lockProvider(database, OTHER_HUB);
        var taken = new AtomicReference<SimpleLock>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(17)).until(() -> {
            otherHub.lock(new LockConfiguration(Instant.now(), routeId, lockAtMostFor, Duration.ZERO)).ifPresent(taken::set);
            return taken.get() != null;
        });
        assertThat(lockedBy(routeId)).isEqualTo(OTHER_HUB);
        heldByOtherHub.add(taken.get());
        return taken.get();
    }

    private boolean ticks(String routeId, int count) {
        return new NotifyBuilder(camel).fromRoute(routeId).whenCompleted(count).create().matches(10, TimeUnit.SECONDS);
    }

    private String lockedBy(String name) {
        return database.queryForObject("select locked_by from shedlock where name = ?", String.class, name);
    }

    private String stateOf(String conversation) {
        return database.queryForObject("select state from conversation where id = ?", String.class, conversation);
    }

    private String offerState(String offer) {
        return database.queryForObject("select state from conversation_offer where id = ?", String.class, offer);
    }
}
