package io.messengerhub.support;

import java.util.ArrayList;
import java.util.List;

import io.messengerhub.HubApplication;
import io.messengerhub.webhook.WebhookServer;
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

    /**
     * Starts a hub with the common test settings and {@code args} ({@code --name=value}, each replacing a common one;
     * {@code --!name} drops the common ones under name).
     */
    public static ConfigurableApplicationContext start(String... args) {
        var all = new ArrayList<>(List.of(
                "--hub.broker.websocket-acceptor=",
                "--hub.webhook.port=0",
                "--hub.facebook.app-secret=" + WebhookClient.APP_SECRET,
                "--hub.facebook.verify-token=" + WebhookClient.VERIFY_TOKEN,
                "--hub.facebook.graph-url=http://127.0.0.1:9/v21.0",
                "--hub.privacy.disclosure=",
                "--hub.operating-hours.queues=",
                "--hub.channels.pages[0].id=" + HubSystemTest.SALES_PAGE,
                "--hub.channels.pages[0].queue=sales",
                "--camel.main.shutdown-timeout=3"));
        // Spring joins a property given twice on the command line ("0,43655"): a setting of the caller replaces ours.
        // "--!name" drops the common settings under name, so that the hub's files decide (and can be reloaded).
        for (String arg : args) {
            String key = arg.startsWith("--!") ? "--" + arg.substring(3)
                    : arg.contains("=") ? arg.substring(0, arg.indexOf('=') + 1) : arg;
            all.removeIf(common -> common.startsWith(key));
        }
        List.of(args).stream().filter(arg -> !arg.startsWith("--!")).forEach(all::add);
        return new SpringApplicationBuilder(HubApplication.class).run(all.toArray(String[]::new));
    }

    /** A client of a started hub's web server and webhook server. */
    public static WebhookClient client(ConfigurableApplicationContext hub) {
        int port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
        return new WebhookClient(port, hub.getBean(WebhookServer.class).port());
    }
}
