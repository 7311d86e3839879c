package io.messengerhub.agent;

import io.messengerhub.api.ApiTokens;
import io.messengerhub.api.ApiUnauthorizedException;
import io.messengerhub.api.BasicCredentials;
import org.springframework.stereotype.Component;

/**
 * Who is calling an endpoint that agents may use too: an integration or operator with an API bearer token, or an
 * agent with its broker login as HTTP Basic (what the console and agent desks have).
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
}
