package io.messengerhub.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;

import io.messengerhub.agent.Logins;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what on the embedded broker. Every TCP connection must log in: agents and the other users of
 * config/agents.yaml with their hashed passwords, the hub with {@code hub.broker.user}/{@code HUB_BROKER_PASSWORD}.
 * Connections inside the hub's own JVM (in-VM) are the hub. Roles: {@code hub}, {@code agent} plus
 * {@code agent-<id>}, {@code supervisor}, {@code integration}; which role may do what on which address is set in
 * {@link EmbeddedBrokerConfiguration}. A standalone broker uses its own login modules (LDAP, see the README).
 */
public class BrokerSecurity implements ActiveMQSecurityManager5 {

    public static final String HUB_ROLE = "hub";
    public static final String AGENT_ROLE = "agent";
    public static final String SUPERVISOR_ROLE = "supervisor";
    public static final String INTEGRATION_ROLE = "integration";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);

    private final Logins logins;
    private final String hubUser;
    private final String hubPassword;

    public BrokerSecurity(Logins logins, String hubUser, String hubPassword) {
        this.logins = logins;
        this.hubUser = hubUser;
        this.hubPassword = hubPassword;
    }

    public static String agentRole(String agentId) {
        return AGENT_ROLE + "-" + agentId;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection != null && connection.getTransportConnection() instanceof InVMConnection) {
            return subject(hubUser, Set.of(HUB_ROLE));
        }
        Optional<Set<String>> roles = rolesOf(user, password, connection == null ? "?" : connection.getRemoteAddress());
        if (roles.isEmpty()) {
            LOG.warn("Broker login refused for user '{}' from {}", user, connection == null ? "?" : connection.getRemoteAddress());
            return null;
        }
        return subject(user, roles.get());
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        Set<String> held = new HashSet<>();
        subject.getPrincipals(RolePrincipal.class).forEach(principal -> held.add(principal.getName()));
        boolean allowed = roles.stream().anyMatch(role -> held.contains(role.getName()) && checkType.hasRole(role));
        if (!allowed) {
            LOG.warn("Broker refused {} on '{}' to {}", checkType, address, subject.getPrincipals(UserPrincipal.class));
        }
        return allowed;
    }

    @Override
    public boolean validateUser(String user, String password) {
        return rolesOf(user, password, "broker").isPresent();
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return rolesOf(user, password, "broker").map(held -> roles.stream().anyMatch(r -> held.contains(r.getName()) && checkType.hasRole(r)))
                .orElse(false);
    }

    @Override
    public BrokerSecurity init(Map<String, String> properties) {
        return this;
    }

    private Optional<Set<String>> rolesOf(String user, String password, String from) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        if (user.equals(hubUser)) {
            return MessageDigest.isEqual(hubPassword.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))
                    ? Optional.of(Set.of(HUB_ROLE)) : Optional.empty();
        }
        return logins.check(user, password, from).map(BrokerSecurity::roles);
    }

    /** The broker roles of a login: {@code agent} and {@code agent-<id>} for an agent, else the user's role. */
    public static Set<String> roles(Logins.Login login) {
        return login.agent() ? Set.of(AGENT_ROLE, agentRole(login.id())) : Set.of(login.role());
    }

    private static Subject subject(String user, Set<String> roles) {
        var subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        roles.forEach(role -> subject.getPrincipals().add(new RolePrincipal(role)));
        return subject;
    }
}
