package io.messengerhub.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks the logins of config/agents.yaml (agents, supervisors, integrations, admins) and of the agents added through
 * the admin API ({@link AgentDirectory}), for the broker and for the HTTP endpoints agents, supervisors and admins
 * use. A refusal takes the same time whether the id exists or not, and an id with
 * {@code hub.logins.max-failures} failed attempts in a row is locked for {@code hub.logins.lock-time} (doubling
 * with every further failure, at most {@code hub.logins.max-lock-time}): the attempts are logged, and during the
 * lock even the right password is refused without being checked.
 */
@Component
public class Logins {

    private static final Logger LOG = LoggerFactory.getLogger(Logins.class);

    /** Failure records kept at most (ids tried, known or not); the oldest are forgotten first. */
    private static final int MAX_TRACKED = 10_000;

    /** Who logged in: an agent, or a user of config/agents.yaml with that user's role. */
    public record Login(String id, boolean agent, String role) {
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    private final AgentDirectory agents;
    private final Clock clock;
    private final int maxFailures;
    private final Duration lockTime;
    private final Duration maxLockTime;
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public Logins(AgentDirectory agents, Clock clock, @Value("${hub.logins.max-failures}") int maxFailures,
                  @Value("${hub.logins.lock-time}") Duration lockTime,
                  @Value("${hub.logins.max-lock-time}") Duration maxLockTime) {
        this.agents = agents;
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.lockTime = lockTime;
        this.maxLockTime = maxLockTime;
    }

    /** The login, or empty when the id is unknown, the password wrong, or the id locked; {@code from} is for the log. */
    public Optional<Login> check(String id, String password, String from) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant lockedUntil = lockedUntil(id);
        if (lockedUntil != null && now.isBefore(lockedUntil)) {
            LOG.warn("Login of '{}' from {} refused unchecked: locked until {} after repeated failures", id, from, lockedUntil);
            return Optional.empty();
        }
        Optional<Login> login = verify(id, password);
        if (login.isPresent()) {
            synchronized (failures) {
                failures.remove(id);
            }
            return login;
        }
        failed(id, from, now);
        return Optional.empty();
    }

    private Optional<Login> verify(String id, String password) {
        var agentHash = agents.loginHash(id);
        if (agentHash.isPresent()) {
            return PasswordHashes.verify(password, agentHash.get())
                    ? Optional.of(new Login(id, true, null)) : Optional.empty();
        }
        var user = agents.user(id);
        // An unknown id costs the same hashing as a known one.
        boolean matches = PasswordHashes.verify(password, user.map(AgentProperties.User::passwordHash).orElse(null));
        return matches ? user.map(u -> new Login(id, false, u.role())) : Optional.empty();
    }

    private Instant lockedUntil(String id) {
        synchronized (failures) {
            Failures known = failures.get(id);
            return known == null ? null : known.lockedUntil();
        }
    }

    private void failed(String id, String from, Instant now) {
        Failures recorded;
        synchronized (failures) {
            Failures before = failures.getOrDefault(id, new Failures(0, null));
            int count = before.count() + 1;
            Instant lockedUntil = null;
            if (count >= maxFailures) {
                long doublings = Math.min(count - maxFailures, 20);
                Duration lock = lockTime.multipliedBy(1L << doublings);
                lockedUntil = now.plus(lock.compareTo(maxLockTime) > 0 ? maxLockTime : lock);
            }
            recorded = new Failures(count, lockedUntil);
            failures.put(id, recorded);
        }
        if (recorded.lockedUntil() != null) {
            LOG.warn("Login of '{}' from {} refused ({} failures in a row): locked until {}", id, from, recorded.count(),
                    recorded.lockedUntil());
        } else {
            LOG.warn("Login of '{}' from {} refused ({} failures in a row)", id, from, recorded.count());
        }
    }
}
