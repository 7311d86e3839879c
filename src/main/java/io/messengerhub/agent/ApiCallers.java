package io.messengerhub.agent;

import io.messengerhub.api.ApiForbiddenException;
import io.messengerhub.api.ApiTokens;
import io.messengerhub.api.ApiUnauthorizedException;
import io.messengerhub.api.BasicCredentials;
import org.springframework.stereotype.Component;

/**
 * Who is calling an endpoint that agents may use too: an integration or operator with an API bearer token, or an
 * agent with its broker login as HTTP Basic (what the console and agent desks have); and who may call an endpoint
 * for one role of config/agents.yaml (admins, supervisors).
 */
@Component
public class ApiCallers {

    private final ApiTokens apiTokens;
    private final Logins logins;

    public ApiCallers(ApiTokens apiTokens, Logins logins) {
        this.apiTokens = apiTokens;
        this.logins = logins;
    }

    /** Null for an API token holder (sees everything), the agent's id for an agent; else 401. */
    public String caller(String authorization) {
        var basic = BasicCredentials.of(authorization);
        if (basic.isPresent()) {
            String user = basic.get().user();
            if (!logins.check(user, basic.get().password(), "HTTP").map(Logins.Login::agent).orElse(false)) {
                throw new ApiUnauthorizedException("agent login refused");
            }
            return user;
        }
        apiTokens.authorize(authorization);
        return null;
    }

    /**
     * The id of a user of config/agents.yaml with this role, logging in with HTTP Basic (named logins, so what they do
     * says who did it): 401 without a login that counts, challenging for a realm named after the role; 403 for an
     * agent's login or another role's. {@code someone} names the role in the refusals ("an admin").
     */
    public String withRole(String authorization, String role, String someone) {
        String challenge = "Basic realm=\"" + role + "\"";
        var credentials = BasicCredentials.of(authorization)
                .orElseThrow(() -> new ApiUnauthorizedException(someone + " login (HTTP Basic) is required", challenge));
        var login = logins.check(credentials.user(), credentials.password(), role + " API")
                .orElseThrow(() -> new ApiUnauthorizedException(role + " login refused", challenge));
        if (login.agent() || !role.equals(login.role())) {
            throw new ApiForbiddenException("'" + login.id() + "' is not " + someone);
        }
        return login.id();
    }
}
