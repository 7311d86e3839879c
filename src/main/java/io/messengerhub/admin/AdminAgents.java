package io.messengerhub.admin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.messengerhub.agent.AgentAccounts.Account;
import io.messengerhub.agent.AgentAdministration;
import io.messengerhub.agent.AgentAdministration.AgentRequest;
import io.messengerhub.agent.AgentDirectory;
import io.messengerhub.agent.AgentProperties;
import io.messengerhub.api.ApiBadRequestException;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** The admin API's agents (routes/admin.camel.yaml): every change audited with the admin who made it. */
@Component("adminAgents")
public class AdminAgents {

    /**
     * An agent as the admin API shows it; {@code source} says where it is changed: {@code config/agents.yaml} (by
     * editing the file) or {@code admin-api}. Never the password or its hash.
     */
    public record AgentView(String id, String name, List<String> queues, int capacity, boolean enabled, String source,
                            OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        static AgentView of(AgentProperties.Agent configured) {
            return new AgentView(configured.id(), configured.name(), configured.queues(), configured.capacity(), true,
                    "config/agents.yaml", null, null);
        }

        static AgentView of(Account account) {
            return new AgentView(account.id(), account.name(), account.queues(), account.capacity(), account.enabled(),
                    "admin-api", account.createdAt(), account.updatedAt());
        }
    }

    /** The body of a password reset. */
    public record PasswordReset(String password) {
    }

    private final AgentAdministration administration;
    private final AgentDirectory directory;
    private final AdminAudit audit;

    public AdminAgents(AgentAdministration administration, AgentDirectory directory, AdminAudit audit) {
        this.administration = administration;
        this.directory = directory;
        this.audit = audit;
    }

    public List<AgentView> list() {
        var all = new ArrayList<AgentView>();
        directory.configuration().members().forEach(agent -> all.add(AgentView.of(agent)));
        administration.accounts().forEach(account -> all.add(AgentView.of(account)));
        return all;
    }

    public AgentView get(@Header("id") String id) {
        return directory.configuration().agent(id)
                .map(AgentView::of)
                .orElseGet(() -> AgentView.of(administration.account(id)));
    }

    public AgentView add(@Variable("admin") String admin, @Body AgentRequest request) {
        AgentRequest given = required(request);
        return AgentView.of(audit.audited(admin, "agent.add", given.id(), described(given),
                () -> administration.add(given)));
    }

    public AgentView change(@Variable("admin") String admin, @Header("id") String id, @Body AgentRequest request) {
        AgentRequest given = required(request);
        if (given.id() != null && !given.id().equals(id)) {
            throw new ApiBadRequestException("an agent's id cannot change; add a new agent and remove this one");
        }
        return AgentView.of(audit.audited(admin, "agent.change", id, described(given),
                () -> administration.change(id, given)));
    }

    public AgentView resetPassword(@Variable("admin") String admin, @Header("id") String id, @Body PasswordReset reset) {
        String password = reset == null ? null : reset.password();
        return AgentView.of(audit.audited(admin, "agent.password-reset", id, null,
                () -> administration.resetPassword(id, password)));
    }

    public AgentView enable(@Variable("admin") String admin, @Header("id") String id) {
        return AgentView.of(audit.audited(admin, "agent.enable", id, null, () -> administration.enable(id, true)));
    }

    public AgentView disable(@Variable("admin") String admin, @Header("id") String id) {
        return AgentView.of(audit.audited(admin, "agent.disable", id, null, () -> administration.enable(id, false)));
    }

    public void remove(@Variable("admin") String admin, @Header("id") String id) {
        audit.audited(admin, "agent.remove", id, null, () -> {
            administration.remove(id);
            return null;
        });
    }

    private static AgentRequest required(AgentRequest request) {
        if (request == null) {
            throw new ApiBadRequestException("a JSON object is required");
        }
        return request;
    }

    /** What the audit keeps of a request: everything but the password. */
    private static String described(AgentRequest request) {
        var parts = new ArrayList<String>();
        if (request.name() != null) {
            parts.add("name=" + request.name());
        }
        if (request.queues() != null) {
            parts.add("queues=" + request.queues());
        }
        if (request.capacity() != null) {
            parts.add("capacity=" + request.capacity());
        }
        if (request.password() != null) {
            parts.add("password set");
        }
        return String.join(", ", parts);
    }
}
