package io.messengerhub.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.messengerhub.agent.AgentAccounts.Account;
import io.messengerhub.agent.AgentAccountChanged.Change;
import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.api.ApiConflictException;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.channel.Channels;
import io.messengerhub.routing.RoutingProperties;
import io.messengerhub.routing.RoutingRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds, changes, disables and removes the agents of the admin API, and resets their passwords. Call inside the
 * transaction that also audits the action. What it refuses it refuses before changing anything, with the reason.
 * Disabling or removing an agent takes its work away in the same transaction: pending offers are withdrawn and its
 * Active and Waiting conversations go back to their queues, so no customer waits for an agent who cannot log in.
 */
@Component
public class AgentAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(AgentAdministration.class);

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MIN_PASSWORD = 12;
    private static final int MAX_PASSWORD = 200;
    private static final int MAX_NAME = 200;
    private static final int MAX_CAPACITY = 50;

    /** What an admin asks for; null fields of a change keep their value. */
    public record AgentRequest(String id, String name, String password, List<String> queues, Integer capacity) {
    }

    private final AgentAccounts accounts;
    private final AgentDirectory directory;
    private final AgentConnections connections;
    private final AgentStates states;
    private final Channels channels;
    private final RoutingRules routing;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final String hubUser;

    public AgentAdministration(AgentAccounts accounts, AgentDirectory directory, AgentConnections connections, AgentStates states,
                               Channels channels, RoutingRules routing,
                               ApplicationEventPublisher events, TransactionTemplate transaction,
                               @Value("${hub.broker.user:hub}") String hubUser) {
        this.transaction = transaction;
        this.accounts = accounts;
        this.directory = directory;
        this.connections = connections;
        this.states = states;
        this.channels = channels;
        this.routing = routing;
        this.events = events;
        this.hubUser = hubUser;
    }

    public List<Account> accounts() {
        return accounts.all();
    }

    public Account account(String id) {
        return accounts.find(id).orElseThrow(() -> notFound(id));
    }

    public Account add(AgentRequest request) {
        String id = request.id();
        if (id == null || !ID.matcher(id).matches()) {
            throw new ApiBadRequestException("id: 1 to 64 lower-case letters, digits, '-' and '_', starting with a letter or"
                    + " digit (it names the agent's broker login and inbox)");
        }
        if (directory.configured(id) || id.equals(hubUser)) {
            throw new ApiConflictException("'" + id + "' is a login of config/agents.yaml or the hub's; choose another id");
        }
        if (accounts.find(id).isPresent()) {
            throw new ApiConflictException("agent '" + id + "' exists already (disabled ones too: enable it, or remove it first)");
        }
        String name = name(request.name() == null ? id : request.name());
        List<String> queues = queues(request.queues());
        int capacity = capacity(request.capacity() == null ? 1 : request.capacity());
        accounts.insert(id, name, PasswordHashes.hash(password(request.password())), queues, capacity);
        changed(id, Change.ADDED);
        return account(id);
    }

    public Account change(String id, AgentRequest request) {
        Account account = editable(id);
        if (request.password() != null) {
            throw new ApiBadRequestException("the password is reset with POST /admin/agents/{id}/password");
        }
        String name = request.name() == null ? account.name() : name(request.name());
        List<String> queues = request.queues() == null ? account.queues() : queues(request.queues());
        int capacity = request.capacity() == null ? account.capacity() : capacity(request.capacity());
        accounts.update(id, name, queues, capacity);
        changed(id, Change.CHANGED);
        return account(id);
    }

    public Account resetPassword(String id, String password) {
        editable(id);
        accounts.password(id, PasswordHashes.hash(password(password)));
        changed(id, Change.PASSWORD_RESET);
        return account(id);
    }

    public Account enable(String id, boolean enabled) {
        Account account = editable(id);
        if (account.enabled() == enabled) {
            return account;
        }
        accounts.enable(id, enabled);
        if (!enabled) {
            takeWorkAway(id, "agent disabled");
        }
        changed(id, enabled ? Change.ENABLED : Change.DISABLED);
        return account(id);
    }

    public void remove(String id) {
        editable(id);
        takeWorkAway(id, "agent removed");
        accounts.delete(id);
        changed(id, Change.REMOVED);
    }

    /**
     * config/agents.yaml changed and passed its checks (operations.ConfigReload): it is put in force, and an agent it
     * no longer lists loses its work as a removed account does (offers withdrawn, conversations back to their queues,
     * its broker sessions and inbox closed); a new one gets its inbox, a new password ends the sessions opened with
     * the old. Answers what changed, for the log.
     */
    public String configurationChanged(AgentProperties next) {
        AgentProperties before = directory.replaceConfiguration(next);
        var changes = new ArrayList<String>();
        for (var agent : next.members()) {
            var old = before.agent(agent.id());
            if (old.isEmpty()) {
                changed(agent.id(), Change.ADDED);
                changes.add("added agent '" + agent.id() + "'");
            } else if (!old.get().passwordHash().equals(agent.passwordHash())) {
                changed(agent.id(), Change.PASSWORD_RESET);
                changes.add("new password of agent '" + agent.id() + "'");
            } else if (!old.get().equals(agent)) {
                changed(agent.id(), Change.CHANGED);
                changes.add("changed agent '" + agent.id() + "' (queues " + agent.queues() + ", capacity " + agent.capacity() + ")");
            }
        }
        for (var agent : before.members()) {
            if (next.agent(agent.id()).isEmpty()) {
                transaction.executeWithoutResult(status -> takeWorkAway(agent.id(), "agent removed from config/agents.yaml"));
                changed(agent.id(), Change.REMOVED);
                changes.add("removed agent '" + agent.id() + "'");
            }
        }
        if (!before.users().equals(next.users())) {
            changes.add("users (supervisors, integrations, admins) changed");
        }
        if (!before.queues().equals(next.queues()) || !before.offerTimeout().equals(next.offerTimeout())) {
            changes.add("queue settings changed");
        }
        return changes.isEmpty() ? "nothing the hub uses" : String.join("; ", changes);
    }

    private Account editable(String id) {
        if (directory.configuration().agent(id).isPresent()) {
            throw new ApiConflictException("agent '" + id + "' is defined in config/agents.yaml; change it there");
        }
        return accounts.lock(id).orElseThrow(() -> notFound(id));
    }

    private void takeWorkAway(String id, String reason) {
        connections.letGo(id, reason);
        states.choose(id, Presence.OFFLINE);
    }

    private void changed(String id, Change change) {
        LOG.info("Agent account '{}': {}", id, change);
        events.publishEvent(new AgentAccountChanged(id, change));
    }

    private static ApiNotFoundException notFound(String id) {
        return new ApiNotFoundException("no agent account '" + id + "' (agents of config/agents.yaml are changed there)");
    }

    private static String name(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME || trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw new ApiBadRequestException("name: 1 to " + MAX_NAME + " characters, no control characters");
        }
        return trimmed;
    }

    private static String password(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw new ApiBadRequestException("password: " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        return password;
    }

    private static int capacity(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new ApiBadRequestException("capacity: 1 to " + MAX_CAPACITY + " conversations at once");
        }
        return capacity;
    }

    private List<String> queues(List<String> queues) {
        if (queues == null || queues.isEmpty()) {
            throw new ApiBadRequestException("queues: at least one agent queue");
        }
        Set<String> known = knownQueues();
        for (String queue : queues) {
            if (queue == null || !QUEUE.matcher(queue).matches()) {
                throw new ApiBadRequestException("queues: names of letters, digits, '-' and '_'");
            }
            if (!known.contains(queue)) {
                throw new ApiBadRequestException("queues: no queue '" + queue + "'; the configured ones are " + known);
            }
        }
        return queues.stream().distinct().toList();
    }

    /** The queues the configuration knows: config/agents.yaml's, the Pages', the routing rules in force, the fallback. */
    private Set<String> knownQueues() {
        var known = new TreeSet<String>();
        AgentProperties configured = directory.configuration();
        configured.queues().forEach(queue -> known.add(queue.name()));
        configured.members().forEach(agent -> known.addAll(agent.queues()));
        channels.pages().forEach(page -> known.add(page.queue()));
        RoutingProperties rules = routing.current();
        rules.rules().forEach(rule -> known.add(rule.queue()));
        known.add(rules.fallbackQueue());
        known.removeIf(name -> name == null || name.isBlank());
        return known;
    }
}
