package io.messengerhub.admin;

import io.messengerhub.agent.ApiCallers;
import io.messengerhub.agent.Logins;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Who may call the admin API (/admin/**): a user of config/agents.yaml with role {@code admin}, logging in with HTTP
 * Basic. Named logins, not shared tokens, so the audit says who did what; failed logins count towards the same lock
 * as every other login ({@link Logins}).
 */
@Component("adminCallers")
public class AdminCallers {

    public static final String ROLE = "admin";

    private final ApiCallers callers;

    public AdminCallers(ApiCallers callers) {
        this.callers = callers;
    }

    /** The admin's id; 401 without a login that counts, 403 for a login of another role. */
    public String admin(@Header("Authorization") String authorization) {
        return callers.withRole(authorization, ROLE, "an admin");
    }
}
