package io.messengerhub.broker;

import java.util.Set;

import io.messengerhub.agent.AgentAccountChanged;
import io.messengerhub.agent.AgentAccounts;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The broker side of the agents added through the admin API, on the embedded broker: each enabled agent has its inbox
 * queue and the right to read it (role {@code agent-<id>}), from start and from the moment it is added or enabled. A
 * disabled or removed agent loses that right and its connections are closed at once; a new password closes them too,
 * so a session opened with the old one ends. config/agents.yaml's agents get theirs at start
 * ({@link EmbeddedBrokerConfiguration}). A standalone broker takes its logins and permissions from its own files
 * (deploy/artemis); for it, this logs what the operator has to add there.
 */
@Component
public class AgentInboxes {

    private static final Logger LOG = LoggerFactory.getLogger(AgentInboxes.class);

    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final AgentAccounts accounts;
    private final BrokerAddresses addresses;

    public AgentInboxes(ObjectProvider<EmbeddedActiveMQ> embedded, AgentAccounts accounts, BrokerAddresses addresses) {
        this.embedded = embedded;
        this.accounts = accounts;
        this.addresses = addresses;
    }

    @EventListener(ApplicationReadyEvent.class)
    void openStoredAgents() {
        ActiveMQServer server = server();
        if (server == null) {
            return;
        }
        accounts.all().stream().filter(AgentAccounts.Account::enabled).forEach(account -> open(server, account.id()));
    }

    /** After the change committed; at once when there was no transaction. */
    @TransactionalEventListener(fallbackExecution = true)
    void changed(AgentAccountChanged change) {
        ActiveMQServer server = server();
        if (server == null) {
            if (change.change() == AgentAccountChanged.Change.ADDED) {
                LOG.warn("Agent '{}' was added, but the standalone broker keeps its own logins: add the agent's login and"
                        + " the security settings of its inbox {} there (deploy/artemis, README \"Agents and the broker\")",
                        change.agentId(), addresses.inbox(change.agentId()));
            }
            return;
        }
        String agentId = change.agentId();
        switch (change.change()) {
            case ADDED, ENABLED -> open(server, agentId);
            case CHANGED -> { }
            case PASSWORD_RESET -> disconnect(server, agentId, "its password was reset");
            case DISABLED -> close(server, agentId, false);
            case REMOVED -> close(server, agentId, true);
        }
    }

    private void open(ActiveMQServer server, String agentId) {
        String inbox = addresses.inbox(agentId);
        server.getSecurityRepository().addMatch(inbox, Set.of(EmbeddedBrokerConfiguration.hub(),
                EmbeddedBrokerConfiguration.reader(BrokerSecurity.agentRole(agentId))));
        try {
            server.createQueue(QueueConfiguration.of(inbox).setRoutingType(RoutingType.ANYCAST).setDurable(true), true);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the inbox " + inbox + " of agent " + agentId, e);
        }
    }

    private void close(ActiveMQServer server, String agentId, boolean removed) {
        String inbox = addresses.inbox(agentId);
        server.getSecurityRepository().removeMatch(inbox);
        disconnect(server, agentId, removed ? "it was removed" : "it was disabled");
        if (removed && server.locateQueue(SimpleString.of(inbox)) != null) {
            try {
                // Nobody can read it any more; what it held is in the hub's database (transcripts, states).
                server.destroyQueue(SimpleString.of(inbox), null, false, true);
            } catch (Exception e) {
                LOG.warn("The inbox {} of removed agent {} stays on the broker: {}", inbox, agentId, e.getMessage());
            }
        }
    }

    private static void disconnect(ActiveMQServer server, String agentId, String why) {
        try {
            if (server.getActiveMQServerControl().closeConnectionsForUser(agentId)) {
                LOG.info("Broker connections of agent {} closed: {}", agentId, why);
            }
        } catch (Exception e) {
            LOG.warn("Broker connections of agent {} not closed ({}): {}", agentId, why, e.getMessage());
        }
    }

    private ActiveMQServer server() {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        return broker == null ? null : broker.getActiveMQServer();
    }
}
