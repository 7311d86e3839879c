package io.messengerhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.URIParameter;
import java.util.Map;
import java.util.function.UnaryOperator;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.deployers.impl.FileConfigurationParser;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.utils.XMLUtil;
import org.w3c.dom.Element;

/**
 * The standalone broker of deploy/artemis/ in the test's JVM: the shipped broker.xml read by Artemis' own parser
 * (with its ${...} replacement) as the standalone broker reads it, without the replication pair, and logins from a
 * login.config read by Java's own JAAS parser, domain "activemq", as the broker instance uses it.
 */
public final class ShippedBroker {

    public static final Path DEPLOY = Path.of("deploy/artemis");

    private ShippedBroker() {
    }

    /**
     * The shipped broker.xml, {@code edit}ed, listening on 127.0.0.1:{@code port}, with no HA policy file and no
     * cluster connection to the other broker, its data under {@code data}.
     */
    public static Configuration configuration(int port, Path data, boolean persistent, UnaryOperator<String> edit) throws Exception {
        String xml = edit.apply(Files.readString(DEPLOY.resolve("broker.xml")).replaceAll("<xi:include[^>]*/>", ""));
        System.setProperty("BROKER_BIND", "127.0.0.1");
        System.setProperty("BROKER_PORT", String.valueOf(port));
        System.setProperty("BROKER_WEBSOCKET_PORT", String.valueOf(TestAgents.freePort()));
        Element root;
        try {
            root = XMLUtil.stringToElement(xml);
        } finally {
            System.clearProperty("BROKER_BIND");
            System.clearProperty("BROKER_PORT");
            System.clearProperty("BROKER_WEBSOCKET_PORT");
        }
        Configuration configuration = new ConfigurationImpl();
        new FileConfigurationParser().parseMainConfig((Element) root.getElementsByTagName("core").item(0), configuration);
        assertThat(configuration.isSecurityEnabled()).isTrue();
        assertThat(configuration.isPopulateValidatedUser()).isTrue();

        configuration.getClusterConfigurations().clear();
        return configuration.setPersistenceEnabled(persistent)
                .setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                .setLargeMessagesDirectory(data.resolve("large-messages").toString());
    }

    /**
     * The login configuration {@code text}, written into {@code dir} and read by Java's JAAS parser, which expands
     * the {@code properties} (system properties, set only while it reads) as the broker's JVM would. The broker
     * instance's own files, for login.config's last module ({@code ${artemis.instance.etc}}), hold the hub's login.
     */
    public static javax.security.auth.login.Configuration logins(String text, Path dir, String hubPassword,
                                                                 Map<String, String> properties) throws Exception {
        Path file = Files.writeString(dir.resolve("login-" + System.nanoTime() + ".config"), text);
        Path etc = Files.createDirectories(dir.resolve("instance-etc"));
        Files.writeString(etc.resolve("artemis-users.properties"), "hub = " + hubPassword + "\n");
        Files.writeString(etc.resolve("artemis-roles.properties"), "hub = hub\n");
        System.setProperty("artemis.instance.etc", etc.toString());
        properties.forEach(System::setProperty);
        try {
            return javax.security.auth.login.Configuration.getInstance("JavaLoginConfig", new URIParameter(file.toUri()));
        } finally {
            System.clearProperty("artemis.instance.etc");
            properties.keySet().forEach(System::clearProperty);
        }
    }

    /**
     * The shipped login.config's "activemq" domain, as {@link #logins} reads it, its HubLoginModule asking the hubs at
     * {@code hubLoginUrls} (comma-separated, as docker-compose.yml sets {@code hub.login.url}).
     */
    public static javax.security.auth.login.Configuration shippedLogins(Path dir, String hubPassword, String hubLoginUrls)
            throws Exception {
        String shipped = Files.readString(DEPLOY.resolve("login.config"));
        return logins(activemqDomain(shipped), dir, hubPassword, Map.of("hub.login.url", hubLoginUrls));
    }

    /** The "activemq" domain of a login.config text, from "activemq {" to its "};". */
    public static String activemqDomain(String loginConfig) {
        int start = loginConfig.indexOf("activemq {");
        return loginConfig.substring(start, loginConfig.indexOf("};", start) + 2);
    }

    /** A broker whose logins are the "activemq" domain of {@code logins}, as the standalone broker's. */
    public static EmbeddedActiveMQ start(Configuration configuration, javax.security.auth.login.Configuration logins) throws Exception {
        var securityManager = new ActiveMQJAASSecurityManager("activemq", new SecurityConfiguration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return logins.getAppConfigurationEntry(name);
            }
        });
        var started = new EmbeddedActiveMQ().setConfiguration(configuration).setSecurityManager(securityManager);
        started.start();
        return started;
    }
}
