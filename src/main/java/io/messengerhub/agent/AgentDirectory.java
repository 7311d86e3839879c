package io.messengerhub.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.messengerhub.agent.AgentProperties.Agent;
import io.messengerhub.agent.AgentProperties.Queue;
import io.messengerhub.agent.AgentProperties.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Who the agents are: those of config/agents.yaml (as in force: it is read again when it changes) and the enabled
 * ones added through the admin API
 * ({@link AgentAccounts}, in the hub's database). Logins read the database every time, so an agent added, disabled
 * or given a new password on any hub counts at once. Work distribution, asked on every offer, reads a copy of the
 * accounts that this hub renews after its own changes at once and after another hub's within
 * {@code hub.agents.directory-refresh}; while the database is away it keeps the last copy.
 */
@Component
public class AgentDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(AgentDirectory.class);

    /** The enabled accounts as read at {@code readAt}, after {@code changes} changes of this hub. */
    private record Copy(Map<String, Agent> agents, Instant readAt, long changes) {
    }

    private volatile AgentProperties file;
    private final AgentAccounts accounts;
    private final Clock clock;
    private final Duration refresh;
    private volatile Copy copy = new Copy(Map.of(), Instant.MIN, 0);
    private volatile boolean unreadable;
    /** This hub's changes of the accounts or of config/agents.yaml so far: a copy read before the last one is stale. */
    private final AtomicLong changes = new AtomicLong();

    public AgentDirectory(AgentProperties file, AgentAccounts accounts, Clock clock,
                          @Value("${hub.agents.directory-refresh}") Duration refresh) {
        this.file = file;
        this.accounts = accounts;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** An agent of config/agents.yaml, or an enabled one of the admin API. */
    public Optional<Agent> agent(String id) {
        return file.agent(id).or(() -> Optional.ofNullable(stored().get(id)));
    }

    public List<Agent> members() {
        var all = new ArrayList<>(file.members());
        all.addAll(stored().values());
        return all;
    }

    public List<Agent> membersOf(String queue) {
        return members().stream().filter(agent -> agent.queues().contains(queue)).toList();
    }

    public Queue queue(String name) {
        return file.queue(name);
    }

    public List<Queue> queues() {
        return file.queues();
    }

    public Duration offerTimeout() {
        return file.offerTimeout();
    }

    /** Supervisors, integrations and admins: config/agents.yaml only. */
    public Optional<User> user(String id) {
        return file.users().stream().filter(user -> user.id().equals(id)).findFirst();
    }

    /** Whether the id is taken by a configured agent or user (the admin API cannot add or change those). */
    public boolean configured(String id) {
        return file.agent(id).isPresent() || user(id).isPresent();
    }

    /**
     * The stored password hash of an agent who may log in now: from config/agents.yaml, or read from the database
     * (enabled accounts only). Empty for an unknown or disabled id, and when the database does not answer.
     */
    Optional<String> loginHash(String id) {
        var configured = file.agent(id);
        if (configured.isPresent()) {
            return Optional.of(configured.get().passwordHash());
        }
        try {
            return accounts.enabled(id).map(Agent::passwordHash);
        } catch (RuntimeException databaseAway) {
            LOG.warn("Login of '{}' not checked against the agent accounts, the database does not answer: {}", id,
                    databaseAway.getMessage());
            return Optional.empty();
        }
    }

    /** config/agents.yaml as in force now. */
    public AgentProperties configuration() {
        return file;
    }

    /** Puts a changed config/agents.yaml in force ({@link AgentAdministration#configurationChanged}); the one before. */
    synchronized AgentProperties replaceConfiguration(AgentProperties next) {
        AgentProperties before = file;
        file = next;
        changes.incrementAndGet();
        return before;
    }

    /**
     * This hub changed an account: the next question reads them again. Once the change has committed: read before,
     * the copy would miss it until the next refresh (an agent just added would have its commands refused as those of
     * no agent).
     */
    @TransactionalEventListener(fallbackExecution = true)
    void changed(AgentAccountChanged change) {
        changes.incrementAndGet();
    }

    private boolean fresh(Copy candidate, Instant now) {
        return candidate.changes() == changes.get() && candidate.readAt().plus(refresh).isAfter(now);
    }

    private Map<String, Agent> stored() {
        Copy current = copy;
        Instant now = clock.instant();
        if (fresh(current, now)) {
            return current.agents();
        }
        synchronized (this) {
            Copy latest = copy;
            if (fresh(latest, now)) {
                return latest.agents();
            }
            // Counted before the read: a change that commits while it runs may be missing from it, and leaves it stale.
            long changesBefore = changes.get();
            try {
                Map<String, Agent> read = accounts.enabledAgents().stream()
                        .filter(agent -> !configured(agent.id()))
                        .collect(Collectors.toUnmodifiableMap(Agent::id, Function.identity()));
                copy = new Copy(read, now, changesBefore);
                if (unreadable) {
                    LOG.info("Agent accounts read again: {} enabled", read.size());
                    unreadable = false;
                }
            } catch (RuntimeException databaseAway) {
                // Kept for one more interval: distribution goes on with the agents it knew.
                copy = new Copy(current.agents(), now, changesBefore);
                if (!unreadable) {
                    LOG.warn("Agent accounts not read, the database does not answer; using the {} known: {}",
                            current.agents().size(), databaseAway.getMessage());
                    unreadable = true;
                }
            }
            return copy.agents();
        }
    }
}
