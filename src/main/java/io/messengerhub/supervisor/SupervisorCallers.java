package io.messengerhub.supervisor;

import io.messengerhub.agent.ApiCallers;
import io.messengerhub.agent.Logins;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Who may call the supervisor API (/supervisor/api/**): a user of config/agents.yaml with role {@code supervisor},
 * logging in with HTTP Basic, the same login the supervisor page uses for the broker. Named logins, so every action
 * says which supervisor took it; failed logins count towards the same lock as every other login ({@link Logins}).
 */
@Component("supervisorCallers")
public class SupervisorCallers {

    public static final String ROLE = "supervisor";

    private final ApiCallers callers;

    public SupervisorCallers(ApiCallers callers) {
        this.callers = callers;
    }

    /** The supervisor's id; 401 without a login that counts, 403 for an agent's or another role's login. */
    public String supervisor(@Header("Authorization") String authorization) {
        return callers.withRole(authorization, ROLE, "a supervisor");
    }
}
