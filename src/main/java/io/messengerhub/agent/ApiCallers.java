package io.messengerhub.agent;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.messengerhub.api.ApiTokens;
import io.messengerhub.api.ApiUnauthorizedException;
import org.springframework.stereotype.Component;

/**
 * Who is calling an endpoint that agents may use too: an integration or operator with an API bearer token, or an
 * agent with its broker login as HTTP Basic credentials (what the console and agent desks have).
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
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiUnauthorizedException("malformed Basic credentials");
            }
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            String password = colon < 0 ? "" : decoded.substring(colon + 1);
            if (!logins.check(user, password, "HTTP").map(Logins.Login::agent).orElse(false)) {
                throw new ApiUnauthorizedException("agent login refused");
            }
            return user;
        }
        apiTokens.authorize(authorization);
        return null;
    }
}
