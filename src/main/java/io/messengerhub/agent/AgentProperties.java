package io.messengerhub.agent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Agents, their queues and capacity, and the other broker users (config/agents.yaml). Passwords are stored as
 * hashes only ({@link PasswordHashes}).
 *
 * @param offerTimeout how long an agent has to accept an offered conversation before it moves on
 * @param queues       how each agent queue distributes work
 * @param members      the agents
 * @param users        supervisors and integrations that read from the broker
 */
@ConfigurationProperties("hub.agents")
public record AgentProperties(Duration offerTimeout, List<Queue> queues, List<Agent> members, List<User> users) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public AgentProperties {
        offerTimeout = offerTimeout == null ? Duration.ofSeconds(120) : offerTimeout;
        queues = queues == null ? List.of() : List.copyOf(queues);
        members = members == null ? List.of() : List.copyOf(members);
        users = users == null ? List.of() : List.copyOf(users);
        for (Agent agent : members) {
            if (agent.id() == null || !ID.matcher(agent.id()).matches()) {
                throw new IllegalArgumentException("agent id '" + agent.id()
                        + "' in config/agents.yaml: use lower-case letters, digits, '-' and '_' (it names a broker address)");
            }
            if (!PasswordHashes.isWellFormed(agent.passwordHash())) {
                throw new IllegalArgumentException("agent '" + agent.id() + "' in config/agents.yaml has no valid password-hash;"
                        + " make one with: java -cp target/classes io.messengerhub.agent.PasswordHashes");
            }
        }
        var ids = members.stream().map(Agent::id).toList();
        if (ids.size() != ids.stream().distinct().count()) {
            throw new IllegalArgumentException("config/agents.yaml lists an agent id more than once");
        }
    }

    /** How a queue distributes its conversations. */
    public enum Assignment { HIGHEST_CAPACITY, ROUND_ROBIN }

    /** Push: the hub offers each conversation to one agent. Pick: agents take conversations from the queue. */
    public enum Mode { PUSH, PICK }

    public record Queue(String name, Assignment assignment, Mode mode) {
        public Queue {
            assignment = assignment == null ? Assignment.HIGHEST_CAPACITY : assignment;
            mode = mode == null ? Mode.PUSH : mode;
        }
    }

    /** An agent: broker login {@code id}, the queues it serves and how many conversations it handles at once. */
    public record Agent(String id, String name, String passwordHash, List<String> queues, int capacity) {
        public Agent {
            queues = queues == null ? List.of() : List.copyOf(queues);
            capacity = capacity <= 0 ? 1 : capacity;
            name = name == null ? id : name;
        }
    }

    /** A broker user that is not an agent: role {@code supervisor} (reads offers) or {@code integration} (events). */
    public record User(String id, String passwordHash, String role) {
    }

    /** Looked up on every command and login: a search of the members, not a map built for each call. */
    public Optional<Agent> agent(String id) {
        return members.stream().filter(agent -> agent.id().equals(id)).findFirst();
    }

    public Queue queue(String name) {
        return queues.stream().filter(q -> q.name().equals(name)).findFirst().orElse(new Queue(name, null, null));
    }

    public List<Agent> membersOf(String queue) {
        return members.stream().filter(agent -> agent.queues().contains(queue)).toList();
    }

}
