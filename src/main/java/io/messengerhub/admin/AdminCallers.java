package io.messengerhub.admin;

import io.messengerhub.agent.Logins;
import io.messengerhub.api.ApiForbiddenException;
import io.messengerhub.api.ApiUnauthorizedException;
import io.messengerhub.api.BasicCredentials;
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
    private static final String CHALLENGE = "Basic realm=\"admin\"";

    private final Logins logins;

    public AdminCallers(Logins logins) {
        this.logins = logins;
    }

    /** The admin's id; 401 without a login that counts, 403 for a login of another role. */
    public String admin(@Header("Authorization") String authorization) {
        var credentials = BasicCredentials.of(authorization)
                .orElseThrow(() -> new ApiUnauthorizedException("an admin login (HTTP Basic) is required", CHALLENGE));
        var login = logins.check(credentials.user(), credentials.password(), "admin API")
                .orElseThrow(() -> new ApiUnauthorizedException("admin login refused", CHALLENGE));
        if (login.agent() || !ROLE.equals(login.role())) {
            throw new ApiForbiddenException("'" + login.id() + "' is not an admin");
        }
        return login.id();
    }
}
