package io.messengerhub.channel;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Facebook app this hub answers for. The secret and token come from the environment
 * ({@code HUB_FACEBOOK_APP_SECRET}, {@code HUB_FACEBOOK_VERIFY_TOKEN}); config/ only names them.
 */
@ConfigurationProperties("hub.facebook")
public record FacebookProperties(String appSecret, String verifyToken, String graphUrl) {

    public FacebookProperties {
        requireSet(appSecret, "hub.facebook.app-secret (HUB_FACEBOOK_APP_SECRET)");
        requireSet(verifyToken, "hub.facebook.verify-token (HUB_FACEBOOK_VERIFY_TOKEN)");
        requireSet(graphUrl, "hub.facebook.graph-url");
    }

    private static void requireSet(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " is not set");
        }
    }
}
