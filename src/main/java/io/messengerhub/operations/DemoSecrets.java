package io.messengerhub.operations;

import java.util.ArrayList;
import java.util.List;

import io.messengerhub.agent.AgentProperties;
import io.messengerhub.agent.PasswordHashes;
import io.messengerhub.channel.FacebookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Knows whether the hub runs with the demo secrets from config/application.yaml, so the README's run command works
 * out of the box, and says so loudly: at start-up and, from the demo-secrets-warning route, while it runs.
 */
@Component("demoSecrets")
public class DemoSecrets {

    /** The values config/application.yaml falls back to; any deployment must replace them. */
    static final String DEMO_PREFIX = "demo-";

    private static final Logger LOG = LoggerFactory.getLogger(DemoSecrets.class);

    private final List<String> settingsWithDemoValues;

    public DemoSecrets(FacebookProperties facebook, @Value("${hub.api.tokens:}") String apiTokens,
                       @Value("${hub.operations.tokens:}") String operatorTokens, AgentProperties agents) {
        var demo = new ArrayList<String>();
        if (facebook.appSecret().startsWith(DEMO_PREFIX)) {
            demo.add("HUB_FACEBOOK_APP_SECRET");
        }
        if (facebook.verifyToken().startsWith(DEMO_PREFIX)) {
            demo.add("HUB_FACEBOOK_VERIFY_TOKEN");
        }
        if (holdsDemoToken(apiTokens)) {
            demo.add("HUB_API_TOKENS");
        }
        if (holdsDemoToken(operatorTokens)) {
            demo.add("HUB_OPERATOR_TOKENS");
        }
        agents.members().stream().filter(agent -> PasswordHashes.matches(DEMO_PREFIX + agent.id(), agent.passwordHash()))
                .forEach(agent -> demo.add("password of agent " + agent.id() + " in config/agents.yaml"));
        agents.users().stream().filter(user -> PasswordHashes.matches(DEMO_PREFIX + user.id(), user.passwordHash()))
                .forEach(user -> demo.add("password of " + user.role() + " " + user.id() + " in config/agents.yaml"));
        this.settingsWithDemoValues = List.copyOf(demo);
    }

    /** Whether a comma-separated list of tokens has a demo one. */
    private static boolean holdsDemoToken(String tokens) {
        return tokens.startsWith(DEMO_PREFIX) || tokens.contains("," + DEMO_PREFIX);
    }

    public boolean inUse() {
        return !settingsWithDemoValues.isEmpty();
    }

    public String warning() {
        return "*** RUNNING WITH DEMO SECRETS " + settingsWithDemoValues
                + ": anyone who reads the README can sign webhooks and read conversations. "
                + "Set these environment variables before exposing this hub. ***";
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnAtStartup() {
        if (inUse()) {
            LOG.warn(warning());
        }
    }
}
