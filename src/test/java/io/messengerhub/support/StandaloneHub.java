package io.messengerhub.support;

import java.util.ArrayList;
import java.util.List;

import io.messengerhub.HubApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole hub started by the test itself rather than by Spring's test context, for tests that start it at a chosen
 * moment, several at once, or while something it needs is missing. It gets the test webhook secret, one Page routed
 * to the queue {@code sales}, no Graph API and no disclosure; the caller adds ports, data directory and the rest.
 */
public final class StandaloneHub {

    private StandaloneHub() {
    }

    /** Starts a hub with the common test settings followed by {@code args} ({@code --name=value}; later ones win). */
    public static ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of(
                "--hub.broker.websocket-acceptor=",
                "--hub.facebook.app-secret=" + WebhookClient.APP_SECRET,
                "--hub.facebook.verify-token=" + WebhookClient.VERIFY_TOKEN,
                "--hub.facebook.graph-url=http://127.0.0.1:9/v21.0",
                "--hub.privacy.disclosure=",
                "--hub.channels.pages[0].id=" + HubSystemTest.SALES_PAGE,
                "--hub.channels.pages[0].queue=sales",
                "--camel.main.shutdown-timeout=3"));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(HubApplication.class).run(all.toArray(String[]::new));
    }
}
