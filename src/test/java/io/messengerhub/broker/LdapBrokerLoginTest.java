package io.messengerhub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldif.LDIFReader;
import io.messengerhub.client.AgentClient;
import io.messengerhub.support.ShippedBroker;
import io.messengerhub.support.TestAgents;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The organisation's directory as the standalone broker's logins, as deploy/artemis/login.config documents it: its
 * commented LDAPLoginModule block put in place of its HubLoginModule (the instance's module for the hub kept), read by
 * Java's JAAS parser, in front of an in-process LDAP directory (UnboundID) that holds the entries and groups the
 * comment names, and a broker with the security settings and addresses of the shipped deploy/artemis/broker.xml.
 * Only what a test must change is changed: the block's connectionURL (plain LDAP on a local port, not ldaps://), and
 * the broker's ports, data directories and persistence, and no replication partner.
 */
class LdapBrokerLoginTest {

    private static final Path DEPLOY = ShippedBroker.DEPLOY;
    private static final String HUB_MODULE = "io.messengerhub.broker.login.HubLoginModule";
    private static final String LDAP_MODULE = "org.apache.activemq.artemis.spi.core.security.jaas.LDAPLoginModule";
    private static final String PROPERTIES_MODULE = "org.apache.activemq.artemis.spi.core.security.jaas.PropertiesLoginModule";

    // The directory of login.config's comment.
    private static final String SERVICE = "uid=messenger-hub-broker,ou=services,dc=example,dc=org";
    private static final String PEOPLE = "ou=people,dc=example,dc=org";
    private static final String GROUPS = "ou=messenger-hub,ou=groups,dc=example,dc=org";
    private static final String BIND_PASSWORD = "bind-secret";
    private static final String HUB_PASSWORD = "hub-secret";
    private static final String EVENTS = "contact-center.events";

    @TempDir
    static Path files;

    private static InMemoryDirectoryServer directory;
    private static EmbeddedActiveMQ broker;
    private static String url;

    private final ObjectMapper json = new ObjectMapper();
    private Connection hub;

    @BeforeAll
    static void startDirectoryAndBroker() throws Exception {
        directory = directory();
        directory.startListening();
        int port = TestAgents.freePort();
        url = "tcp://127.0.0.1:" + port;

        broker = start(shippedBroker(port, false));
    }

    @AfterAll
    static void stopBrokerAndDirectory() throws Exception {
        if (broker != null) {
            broker.stop();
        }
        if (directory != null) {
            directory.shutDown(true);
        }
    }

    @AfterEach
    void closeHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void shouldLetAnAgentInWithItsDirectoryPasswordToSendCommandsAndReadItsOwnInbox() throws Exception {
        Session session = hub().createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer commands = session.createConsumer(session.createQueue(AgentClient.COMMANDS));
        BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();

        // Commands other tests' agents sent (the heartbeat ben's client sends as it connects) are still on the queue.
        while (commands.receive(500) != null) {
            // left over
        }
        try (AgentClient anna = AgentClient.connect(url, "anna", "anna-directory-password", inbox::add, Duration.ofHours(1))) {
            // The first heartbeat goes out as the client connects; the broker stamps the directory login on it.
            var heartbeat = (TextMessage) commands.receive(10_000);
            assertThat(heartbeat).as("anna's heartbeat on " + AgentClient.COMMANDS).isNotNull();
            assertThat(json.readTree(heartbeat.getText()).path("type").asText()).isEqualTo("heartbeat");
            assertThat(heartbeat.getStringProperty("_AMQ_VALIDATED_USER")).isEqualTo("anna");

            String requestId = anna.setPresence("AVAILABLE");
            var command = (TextMessage) commands.receive(10_000);
            assertThat(json.readTree(command.getText()).path("requestId").asText()).isEqualTo(requestId);

            MessageProducer toInbox = session.createProducer(session.createQueue(AgentClient.INBOX_PREFIX + "anna"));
            toInbox.send(session.createTextMessage("{\"type\": \"message.received\", \"text\": \"hello anna\"}"));
            JsonNode delivered = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(delivered).as("anna's inbox").isNotNull();
            assertThat(delivered.path("text").asText()).isEqualTo("hello anna");
        }
    }

    @Test
    void shouldRefuseAnAgentAnotherAgentsInboxThatItsOwnerReads() throws Exception {
        try (Connection anna = connect("anna", "anna-directory-password")) {
            Session session = anna.createSession(false, Session.AUTO_ACKNOWLEDGE);

            assertThatThrownBy(() -> session.createConsumer(session.createQueue(AgentClient.INBOX_PREFIX + "ben")))
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("anna");
            assertThatThrownBy(() -> session.createBrowser(session.createQueue(AgentClient.INBOX_PREFIX + "ben")).getEnumeration())
                    .isInstanceOf(JMSSecurityException.class);
        }
        // ben himself, with his group agent-ben, reads it.
        try (AgentClient ben = AgentClient.connect(url, "ben", "ben-directory-password", message -> { }, Duration.ofHours(1))) {
            assertThat(ben.agentId()).isEqualTo("ben");
        }
    }

    @Test
    void shouldRefuseAWrongPasswordAndAUserTheDirectoryDoesNotKnow() {
        assertThatThrownBy(() -> AgentClient.connect(url, "anna", "ben-directory-password", message -> { }))
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("anna", "").close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("zoe", "zoe-password").close()).isInstanceOf(JMSSecurityException.class);
        // The directory's service account is for the broker's searches, not a broker login.
        assertThatThrownBy(() -> connect("messenger-hub-broker", BIND_PASSWORD).close())
                .isInstanceOf(JMSSecurityException.class);
    }

    /**
     * A directory user in none of the groups logs in (the password is right, and Artemis refuses no login for
     * having no roles), but every address refuses it: it can send no command and read no inbox.
     */
    @Test
    void shouldLetADirectoryUserWithoutGroupsInButAllowItNothing() throws Exception {
        try (Connection mallory = connect("mallory", "mallory-directory-password")) {
            mallory.start();
            Session session = mallory.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer commands = session.createProducer(session.createQueue(AgentClient.COMMANDS));
            commands.setDeliveryMode(DeliveryMode.PERSISTENT);

            assertThatThrownBy(() -> commands.send(session.createTextMessage("{\"type\": \"heartbeat\"}")))
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("mallory");
            for (String inbox : List.of("anna", "ben")) {
                assertThatThrownBy(() -> session.createConsumer(session.createQueue(AgentClient.INBOX_PREFIX + inbox)))
                        .isInstanceOf(JMSSecurityException.class);
            }
            assertThatThrownBy(() -> session.createConsumer(session.createTopic(EVENTS)))
                    .isInstanceOf(JMSSecurityException.class);
        }
        assertThatThrownBy(() -> AgentClient.connect(url, "mallory", "mallory-directory-password", message -> { }))
                .isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void shouldLetSupervisorsAndIntegrationsSubscribeToTheEventsButNotAgents() throws Exception {
        try (Connection supervisor = connect("sofia", "sofia-directory-password");
             Connection integration = connect("crm", "crm-directory-password");
             Connection anna = connect("anna", "anna-directory-password")) {
            Session supervisorSession = supervisor.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer supervisorEvents = supervisorSession.createConsumer(supervisorSession.createTopic(EVENTS));
            Session integrationSession = integration.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer integrationEvents = integrationSession.createConsumer(integrationSession.createTopic(EVENTS));
            supervisor.start();
            integration.start();
            Session annaSession = anna.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> annaSession.createConsumer(annaSession.createTopic(EVENTS)))
                    .isInstanceOf(JMSSecurityException.class);

            Session session = hub().createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createTopic(EVENTS)).send(session.createTextMessage("{\"type\": \"conversation.opened\"}"));

            for (MessageConsumer events : List.of(supervisorEvents, integrationEvents)) {
                var event = (TextMessage) events.receive(10_000);
                assertThat(event).as("an event").isNotNull();
                assertThat(json.readTree(event.getText()).path("type").asText()).isEqualTo("conversation.opened");
            }
            // The supervisor also watches the offer queues; the integration does not.
            supervisorSession.createConsumer(supervisorSession.createQueue("contact-center.offers.general")).close();
            assertThatThrownBy(() -> integrationSession.createConsumer(integrationSession.createQueue("contact-center.offers.general")))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    /** victor is only in the directory groups cc-agents and cc-supervisors, which broker.xml's example maps. */
    @Test
    void shouldMapOtherDirectoryGroupsOntoTheRolesWithBrokerXmlsRoleMappingExample() throws Exception {
        int port = TestAgents.freePort();
        String mappedUrl = "tcp://127.0.0.1:" + port;
        try (Connection unmapped = connect("victor", "victor-directory-password")) {
            Session session = unmapped.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createConsumer(session.createTopic(EVENTS)))
                    .as("the shipped broker.xml, without the mapping").isInstanceOf(JMSSecurityException.class);
        }

        EmbeddedActiveMQ mapped = start(shippedBroker(port, true));
        try (Connection victor = new ActiveMQConnectionFactory(mappedUrl, "victor", "victor-directory-password").createConnection()) {
            Session session = victor.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createTopic(EVENTS)).close();
            session.createConsumer(session.createQueue("contact-center.offers.general")).close();
            MessageProducer commands = session.createProducer(session.createQueue(AgentClient.COMMANDS));
            commands.setDeliveryMode(DeliveryMode.PERSISTENT);
            commands.send(session.createTextMessage("{\"type\": \"heartbeat\"}"));
            assertThatThrownBy(() -> session.createConsumer(session.createQueue(AgentClient.INBOX_PREFIX + "anna")))
                    .isInstanceOf(JMSSecurityException.class);
        } finally {
            mapped.stop();
        }
    }

    @Test
    void shouldRejectTheWholeLoginFileWhileTheBindPasswordIsUnset() {
        assertThat(System.getProperty("hub.ldap.bind.password")).isNull();

        assertThatThrownBy(() -> activemqDomain("ldap://127.0.0.1:1", null))
                .hasStackTraceContaining("hub.ldap.bind.password");
    }

    @Test
    void shouldDocumentTheGroupsUnderTheBlocksRoleBase() throws Exception {
        String shipped = Files.readString(DEPLOY.resolve("login.config"));

        assertThat(option(ldapBlock(shipped), "roleBase")).isEqualTo(GROUPS);
        assertThat(option(ldapBlock(shipped), "userBase")).isEqualTo(PEOPLE);
        assertThat(shipped).contains("cn=agent," + GROUPS, "cn=agent-anna," + GROUPS);
    }

    /** A broker whose logins are the "activemq" domain of {@link #activemqDomain}, as the standalone broker's. */
    private static EmbeddedActiveMQ start(Configuration configuration) throws Exception {
        return ShippedBroker.start(configuration, activemqDomain("ldap://127.0.0.1:" + directory.getListenPort(), BIND_PASSWORD));
    }

    /** The hub logs in through its own module (login.config's second), behind the directory's. */
    private Connection hub() throws Exception {
        hub = connect("hub", HUB_PASSWORD);
        hub.start();
        return hub;
    }

    private static Connection connect(String user, String password) throws Exception {
        return new ActiveMQConnectionFactory(url, user, password).createConnection();
    }

    /**
     * The "activemq" domain of the shipped login.config with its HubLoginModule replaced by the commented
     * LDAP block, as the comment says, parsed by Java's own JAAS parser (which expands ${...} system properties as it
     * reads).
     */
    private static javax.security.auth.login.Configuration activemqDomain(String ldapUrl, String bindPassword) throws Exception {
        String shipped = Files.readString(DEPLOY.resolve("login.config"));
        String domain = ShippedBroker.activemqDomain(shipped);
        String firstModule = statement(domain, HUB_MODULE);
        String ldap = ldapBlock(shipped);
        Matcher connectionUrl = Pattern.compile("connectionURL=\"[^\"]*\"").matcher(ldap);
        assertThat(connectionUrl.find()).as("connectionURL in the LDAP block").isTrue();
        String withDirectory = domain.replace(firstModule, connectionUrl.replaceFirst("connectionURL=\"" + ldapUrl + "\""));
        assertThat(withDirectory).contains(LDAP_MODULE, PROPERTIES_MODULE).doesNotContain(HUB_MODULE);
        return ShippedBroker.logins(withDirectory, files, HUB_PASSWORD,
                bindPassword == null ? Map.of() : Map.of("hub.ldap.bind.password", bindPassword));
    }

    /** The LDAPLoginModule statement of the comment in login.config, up to its semicolon. */
    private static String ldapBlock(String loginConfig) {
        return statement(loginConfig, LDAP_MODULE);
    }

    private static String statement(String text, String module) {
        int start = text.indexOf(module);
        assertThat(start).as(module + " in login.config").isNotNegative();
        return text.substring(start, text.indexOf(';', start) + 1);
    }

    private static String option(String block, String name) {
        Matcher matcher = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(block);
        assertThat(matcher.find()).as(name + " in " + block).isTrue();
        return matcher.group(1);
    }

    /** The shipped broker.xml, with its commented role-mapping example taken in if asked. */
    private static Configuration shippedBroker(int port, boolean withRoleMappings) throws Exception {
        Configuration configuration = ShippedBroker.configuration(port, files.resolve("broker-" + port), false, xml -> {
            if (!withRoleMappings) {
                return xml;
            }
            var mappings = new StringBuilder();
            Matcher mapping = Pattern.compile("<role-mapping [^>]*/>").matcher(xml);
            while (mapping.find()) {
                mappings.append(mapping.group()).append('\n');
            }
            assertThat(mappings).as("role-mapping examples in broker.xml").contains("cc-agents", "cc-supervisors");
            return xml.replace("<security-settings>", "<security-settings>\n" + mappings);
        });
        assertThat(configuration.getSecurityRoles()).containsKeys(AgentClient.COMMANDS, AgentClient.INBOX_PREFIX + "anna", EVENTS);
        return configuration;
    }

    /**
     * The directory of login.config's comment: the broker's service account, people under userBase, and groups under
     * roleBase named after the roles, listing their members' DNs. mallory is in no group. Nothing can be read
     * without a bind, so the block's service account and password are needed too.
     */
    private static InMemoryDirectoryServer directory() throws Exception {
        var config = new InMemoryDirectoryServerConfig("dc=example,dc=org");
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        config.setAuthenticationRequiredOperationTypes(EnumSet.of(OperationType.SEARCH, OperationType.COMPARE));
        var server = new InMemoryDirectoryServer(config);
        String ldif = """
                dn: dc=example,dc=org
                objectClass: top
                objectClass: domain
                dc: example

                dn: ou=services,dc=example,dc=org
                objectClass: organizationalUnit
                ou: services

                dn: %1$s
                objectClass: inetOrgPerson
                uid: messenger-hub-broker
                cn: Messenger hub broker
                sn: service
                userPassword: %4$s

                dn: %2$s
                objectClass: organizationalUnit
                ou: people

                dn: ou=groups,dc=example,dc=org
                objectClass: organizationalUnit
                ou: groups

                dn: %3$s
                objectClass: organizationalUnit
                ou: messenger-hub
                """.formatted(SERVICE, PEOPLE, GROUPS, BIND_PASSWORD)
                + person("anna") + person("ben") + person("mallory") + person("sofia") + person("crm")
                + group("agent", "anna", "ben") + group("agent-anna", "anna") + group("agent-ben", "ben")
                + group("supervisor", "sofia") + group("integration", "crm")
                + person("victor") + group("cc-agents", "victor") + group("cc-supervisors", "victor");
        server.importFromLDIF(true, new LDIFReader(new BufferedReader(new StringReader(ldif))));
        return server;
    }

    private static String person(String uid) {
        return """

                dn: uid=%1$s,%2$s
                objectClass: inetOrgPerson
                uid: %1$s
                cn: %1$s
                sn: %1$s
                userPassword: %1$s-directory-password
                """.formatted(uid, PEOPLE);
    }

    private static String group(String role, String... uids) {
        var group = new StringBuilder("\ndn: cn=%s,%s\nobjectClass: groupOfNames\ncn: %s\n".formatted(role, GROUPS, role));
        for (String uid : uids) {
            group.append("member: uid=").append(uid).append(',').append(PEOPLE).append('\n');
        }
        return group.toString();
    }
}
