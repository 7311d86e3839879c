package io.messengerhub.channel;

import java.util.Optional;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The Page access tokens, read from the environment variables config/channels.yaml names (through Spring's
 * environment, so a deployment can also supply them as system properties or from a secrets store).
 */
@Component
public class PageTokens {

    private final Channels channels;
    private final Environment environment;

    public PageTokens(Channels channels, Environment environment) {
        this.channels = channels;
        this.environment = environment;
    }

    public Optional<String> tokenFor(String pageId) {
        return channels.page(pageId).map(ChannelProperties.Page::accessTokenEnv)
                .map(environment::getProperty).filter(token -> !token.isBlank());
    }
}
