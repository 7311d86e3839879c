package io.messengerhub.broker;

import java.util.List;

import io.messengerhub.agent.Logins;
import io.messengerhub.api.ApiUnauthorizedException;
import io.messengerhub.api.BasicCredentials;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/login}: a login checked as the embedded broker checks it, with the roles it would get there. A
 * standalone broker's logins ask this ({@link io.messengerhub.broker.login.HubLoginModule}), so that the agents of
 * config/agents.yaml and of the admin API log in to it with the hub's passwords, locks and disabled state.
 */
@Component
public class BrokerLogins {

    private static final String CHALLENGE = "Basic realm=\"messenger-hub\"";

    /** Who logged in, and its broker roles (sorted). */
    public record Checked(String id, List<String> roles) {
    }

    private final Logins logins;

    public BrokerLogins(Logins logins) {
        this.logins = logins;
    }

    public Checked check(String authorization) {
        var credentials = BasicCredentials.of(authorization)
                .orElseThrow(() -> new ApiUnauthorizedException("a login (HTTP Basic) is required", CHALLENGE));
        return logins.check(credentials.user(), credentials.password(), "the broker's login check")
                .map(login -> new Checked(login.id(), BrokerSecurity.roles(login).stream().sorted().toList()))
                .orElseThrow(() -> new ApiUnauthorizedException("login refused", CHALLENGE));
    }
}
