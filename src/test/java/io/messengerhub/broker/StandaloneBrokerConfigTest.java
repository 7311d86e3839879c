package io.messengerhub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import io.messengerhub.agent.AgentProperties;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.routing.RoutingProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The standalone broker's files in deploy/artemis/ against config/: what the embedded broker declares and allows,
 * the standalone one must too (the harness, deploy/local/cluster.sh, runs them for real).
 */
class StandaloneBrokerConfigTest {

    private static final Path DEPLOY = Path.of("deploy/artemis");

    private static StandardEnvironment config;
    private static Document broker;

    @BeforeAll
    static void load() throws Exception {
        config = new StandardEnvironment();
        var loader = new YamlPropertySourceLoader();
        for (String file : List.of("application.yaml", "agents.yaml", "channels.yaml", "routing.yaml")) {
            loader.load(file, new FileSystemResource("config/" + file)).forEach(config.getPropertySources()::addLast);
        }
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        broker = factory.newDocumentBuilder().parse(DEPLOY.resolve("broker.xml").toFile());
    }

    @Test
    void shouldDeclareEveryQueueTheEmbeddedBrokerDeclares() {
        var queues = Arrays.stream(config.getRequiredProperty("spring.artemis.embedded.queues").split(","))
                .map(String::trim).toList();

        assertThat(queues).contains("hub.transcripts.archive");
        assertThat(anycastQueues()).containsAll(queues);
    }

    @Test
    void shouldKeepTheWebhooksMessageGroupsInAsManyBucketsAsTheEmbeddedBroker() {
        String inbound = config.getRequiredProperty("hub.webhook.inbound-queue");
        Element queue = named("queue", inbound);

        assertThat(queue.getAttribute("group-buckets")).isEqualTo(config.getRequiredProperty("hub.webhook.message-group-buckets"));
        assertThat(queue.getAttribute("group-rebalance")).isEqualTo("true");
        assertThat(queue.getAttribute("group-rebalance-pause-dispatch")).isEqualTo("true");
    }

    @Test
    void shouldAllowMoreDeliveriesThanTheHubTriesAsTheEmbeddedBrokerDoes() {
        int processingAttempts = config.getRequiredProperty("hub.broker.max-delivery-attempts", Integer.class);
        int sendAttempts = config.getRequiredProperty("hub.send.max-attempts", Integer.class);

        assertThat(Integer.parseInt(setting("hub.webhook.inbound", "max-delivery-attempts")))
                .isEqualTo(processingAttempts + EmbeddedBrokerConfiguration.INBOUND_SPARE_DELIVERIES);
        assertThat(Integer.parseInt(setting("hub.send.outbound", "max-delivery-attempts")))
                .isEqualTo(sendAttempts + EmbeddedBrokerConfiguration.SEND_GIVE_UP_TRIES);
    }

    @Test
    void shouldDeclareAnOfferQueueForEveryQueueTheHubRoutesTo() {
        var binder = Binder.get(config);
        Set<String> offerQueues = EmbeddedBrokerConfiguration.offerQueues(
                binder.bindOrCreate("hub.agents", AgentProperties.class),
                binder.bindOrCreate("hub.channels", ChannelProperties.class),
                binder.bindOrCreate("hub.routing", RoutingProperties.class));
        String prefix = config.getRequiredProperty("hub.dispatch.offer-address-prefix");

        assertThat(offerQueues).isNotEmpty();
        assertThat(anycastQueues()).containsAll(offerQueues.stream().map(queue -> prefix + queue).toList());
    }

    @Test
    void shouldLetSupervisorsAndIntegrationsSubscribeToTheEventsTopicOverStomp() {
        String events = config.getRequiredProperty("hub.integration.events-topic");

        Element address = named("address", events);
        assertThat(address.getElementsByTagNameNS("*", "multicast").getLength()).isEqualTo(1);
        // A STOMP subscription queue has no routing type; on an address that may be auto-created Artemis would then
        // ask the subscriber for createAddress.
        assertThat(setting(events, "auto-create-addresses")).isEqualTo("false");
        for (String permission : List.of("createNonDurableQueue", "createDurableQueue", "consume")) {
            assertThat(roles(events, permission)).contains("supervisor", "integration");
        }
    }

    /**
     * The hub's logins (agents, supervisors, admins) come from the hub (HubLoginModule, login.config's first module);
     * a line for one of them in the broker's own files would let it in with that password when the hub refuses it.
     */
    @Test
    void shouldLeaveTheHubsLoginsToTheHubAndListRolesWithoutSpaces() throws IOException {
        Properties users = properties("artemis-users.properties");
        Properties roles = properties("artemis-roles.properties");
        var agentsFile = Binder.get(config).bindOrCreate("hub.agents", AgentProperties.class);
        var hubLogins = new TreeSet<String>();
        agentsFile.members().forEach(agent -> hubLogins.add(agent.id()));
        agentsFile.users().forEach(user -> hubLogins.add(user.id()));

        assertThat(hubLogins).contains("anna", "supervisor", "admin");
        assertThat(users.stringPropertyNames()).doesNotContainAnyElementsOf(hubLogins).contains("integration");
        for (String role : roles.stringPropertyNames()) {
            // Artemis splits the users at the commas and trims nothing: "anna, ben" gives the role to " ben".
            assertThat(roles.getProperty(role).split(",", -1)).as("users of role %s", role)
                    .allSatisfy(user -> assertThat(user).isNotBlank().doesNotContainAnyWhitespaces())
                    .doesNotContainAnyElementsOf(hubLogins);
        }
        // The hub's own login from the instance first (no question to a hub), then the hub's logins, then these files.
        String loginConfig = Files.readString(DEPLOY.resolve("login.config"));
        String domain = loginConfig.substring(loginConfig.indexOf("activemq {"), loginConfig.indexOf("};"));
        int instance = domain.indexOf("PropertiesLoginModule sufficient");
        int hub = domain.indexOf("io.messengerhub.broker.login.HubLoginModule sufficient");
        int files = domain.lastIndexOf("PropertiesLoginModule sufficient");
        assertThat(instance).isNotNegative().isLessThan(hub);
        assertThat(hub).isLessThan(files);
        assertThat(domain.substring(instance, hub)).contains("baseDir=\"${artemis.instance.etc}\"");
        assertThat(domain.substring(files)).doesNotContain("baseDir");
    }

    @Test
    void shouldDocumentEveryAddressAgentsMaySendTo() throws IOException {
        var sendable = new ArrayList<String>();
        NodeList settings = broker.getElementsByTagNameNS("*", "security-setting");
        for (int i = 0; i < settings.getLength(); i++) {
            String match = ((Element) settings.item(i)).getAttribute("match");
            if (roles(match, "send").contains("agent")) {
                sendable.add(match);
            }
        }
        String agentRow = Files.readAllLines(Path.of("docs/broker-security.md")).stream()
                .filter(line -> line.startsWith("| `agent` |")).findFirst().orElseThrow();

        assertThat(sendable).containsExactlyInAnyOrder("contact-center.commands", "contact-center.files");
        sendable.forEach(address -> assertThat(agentRow).contains("`" + address + "`"));
    }

    private static Set<String> anycastQueues() {
        var queues = new TreeSet<String>();
        NodeList addresses = broker.getElementsByTagNameNS("*", "address");
        for (int i = 0; i < addresses.getLength(); i++) {
            Element address = (Element) addresses.item(i);
            NodeList anycast = address.getElementsByTagNameNS("*", "anycast");
            if (anycast.getLength() == 1) {
                NodeList queue = ((Element) anycast.item(0)).getElementsByTagNameNS("*", "queue");
                for (int j = 0; j < queue.getLength(); j++) {
                    if (((Element) queue.item(j)).getAttribute("name").equals(address.getAttribute("name"))) {
                        queues.add(address.getAttribute("name"));
                    }
                }
            }
        }
        return queues;
    }

    private static Element named(String element, String name) {
        NodeList nodes = broker.getElementsByTagNameNS("*", element);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element candidate = (Element) nodes.item(i);
            if (name.equals(candidate.getAttribute("name")) || name.equals(candidate.getAttribute("match"))) {
                return candidate;
            }
        }
        throw new AssertionError("no <" + element + "> for " + name + " in broker.xml");
    }

    private static String setting(String match, String setting) {
        Element addressSetting = named("address-setting", match);
        return addressSetting.getElementsByTagNameNS("*", setting).item(0).getTextContent().trim();
    }

    /** The roles a security-setting gives a permission; "#" applies only where no setting is more specific. */
    private static List<String> roles(String match, String permission) {
        NodeList permissions = named("security-setting", match).getElementsByTagNameNS("*", "permission");
        for (int i = 0; i < permissions.getLength(); i++) {
            Element candidate = (Element) permissions.item(i);
            if (candidate.getAttribute("type").equals(permission)) {
                return List.of(candidate.getAttribute("roles").split(","));
            }
        }
        return List.of();
    }

    private static Properties properties(String file) throws IOException {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(DEPLOY.resolve(file))) {
            properties.load(reader);
        }
        return properties;
    }
}
