package io.messengerhub.broker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.messengerhub.agent.AgentAccountChanged;
import io.messengerhub.agent.AgentAccounts;
import io.messengerhub.agent.AgentDirectory;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The broker side of the agents, on the embedded broker and on a standalone pair alike, through the broker's
 * management API ({@link BrokerManagement}): every agent who may work (config/agents.yaml and the enabled accounts of
 * the admin API) has its inbox queue and the right to read it (role {@code agent-<id>}), from the hub's start and
 * from the moment it is added or enabled. A disabled or removed agent loses that right and its connections are
 * closed at once; a new password closes them too and empties the broker's login cache, so a session opened with the
 * old password ends and the old password no longer opens one. Who may log in at all is the hub's answer
 * ({@link BrokerSecurity} on the embedded broker, {@code /api/login} for a standalone broker's HubLoginModule).
 * <p>
 * When the broker does not take a change (it is away), the hub says so and applies all of them again every
 * {@code hub.agents.broker-retry} until it does; so also at start, when a hub may come up before its broker.
 */
@Component
public class AgentInboxes {

    private static final Logger LOG = LoggerFactory.getLogger(AgentInboxes.class);
    private static final String HUB = BrokerSecurity.HUB_ROLE;

    private final BrokerManagement broker;
    private final AgentDirectory directory;
    private final AgentAccounts accounts;
    private final BrokerAddresses addresses;
    private final Duration retry;
    private final AtomicBoolean outOfStep = new AtomicBoolean(true);
    /** Agents disabled or removed while the broker did not take it: closed at the next retry. */
    private final Set<String> toClose = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "agent-inboxes");
        thread.setDaemon(true);
        return thread;
    });

    public AgentInboxes(BrokerManagement broker, AgentDirectory directory, AgentAccounts accounts, BrokerAddresses addresses,
                        @Value("${hub.agents.broker-retry}") Duration retry) {
        this.broker = broker;
        this.directory = directory;
        this.accounts = accounts;
        this.addresses = addresses;
        this.retry = retry;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        retries.scheduleWithFixedDelay(this::catchUp, 0, retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }

    /** After the change committed; at once when there was no transaction. */
    @TransactionalEventListener(fallbackExecution = true)
    void changed(AgentAccountChanged change) {
        String agentId = change.agentId();
        try {
            switch (change.change()) {
                case ADDED, ENABLED -> {
                    open(agentId);
                    // A refusal the broker remembers (a try before the agent was added or enabled) would outlast it.
                    broker.invoke("clearAuthenticationCache");
                }
                case CHANGED -> { }
                case PASSWORD_RESET -> disconnect(agentId, "its password was reset");
                case DISABLED -> close(agentId, false);
                case REMOVED -> close(agentId, true);
            }
        } catch (RuntimeException brokerAway) {
            if (!change.mayWork()) {
                toClose.add(agentId);
            }
            outOfStep.set(true);
            LOG.error("The broker did not take the change of agent '{}' ({}): {}. Tried again every {} until it does",
                    agentId, change.change(), brokerAway.getMessage(), retry);
        }
    }

    /** Every agent who may work has its inbox and right; the disabled and those removed meanwhile have none. */
    void catchUp() {
        if (!outOfStep.getAndSet(false)) {
            return;
        }
        try {
            accounts.all().stream().filter(account -> !account.enabled()).forEach(account -> toClose.add(account.id()));
            for (String agentId : Set.copyOf(toClose)) {
                close(agentId, directory.agent(agentId).isEmpty() && accounts.find(agentId).isEmpty());
                toClose.remove(agentId);
            }
            var agents = directory.members();
            agents.forEach(agent -> open(agent.id()));
            LOG.info("The broker has the inboxes and read rights of the {} agents", agents.size());
        } catch (RuntimeException brokerAway) {
            outOfStep.set(true);
            LOG.warn("The broker does not have the agents' inboxes and read rights yet ({}); trying again in {}",
                    brokerAway.getMessage(), retry);
        }
    }

    private void open(String agentId) {
        String inbox = addresses.inbox(agentId);
        String reader = HUB + "," + BrokerSecurity.agentRole(agentId);
        // send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue, deleteNonDurableQueue, manage,
        // browse, createAddress, deleteAddress, view, edit: the agent consumes and browses, the hub does everything.
        broker.invoke("addSecuritySettings", inbox, HUB, reader, HUB, HUB, HUB, HUB, HUB, reader, HUB, HUB, HUB, HUB);
        broker.createQueue(inbox);
    }

    private void close(String agentId, boolean removed) {
        String inbox = addresses.inbox(agentId);
        broker.invoke("removeSecuritySettings", inbox);
        disconnect(agentId, removed ? "it was removed" : "it was disabled");
        if (removed) {
            try {
                // Nobody can read it any more; what it held is in the hub's database (transcripts, states).
                broker.invoke("destroyQueue", inbox, true, true);
            } catch (IllegalStateException e) {
                LOG.warn("The inbox {} of removed agent {} stays on the broker: {}", inbox, agentId, e.getMessage());
            }
        }
    }

    private void disconnect(String agentId, String why) {
        broker.invoke("clearAuthenticationCache");
        if (Boolean.TRUE.equals(broker.invoke("closeConnectionsForUser", agentId))) {
            LOG.info("Broker connections of agent {} closed: {}", agentId, why);
        }
    }
}
