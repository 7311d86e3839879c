package io.messengerhub.support;

import java.io.IOException;
import java.net.ServerSocket;

import io.messengerhub.agent.PasswordHashes;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Agents anna (queues sales and billing, capacity 2) and ben (sales, capacity 1), and a TCP acceptor for them on
 * a port of its own: every test class's hub (cached contexts stay up) needs its own.
 */
public final class TestAgents {

    private final String brokerUrl;

    private TestAgents(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    /** A list binds from one property source, so every member property is registered here. */
    public static TestAgents register(DynamicPropertyRegistry registry) {
        String brokerUrl = "tcp://127.0.0.1:" + freePort();
        String annaHash = PasswordHashes.hash("pw-anna");
        String benHash = PasswordHashes.hash("pw-ben");
        registry.add("hub.broker.tcp-acceptor", () -> brokerUrl);
        registry.add("hub.agents.members[0].id", () -> "anna");
        registry.add("hub.agents.members[0].password-hash", () -> annaHash);
        registry.add("hub.agents.members[0].queues", () -> "sales,billing");
        registry.add("hub.agents.members[0].capacity", () -> "2");
        registry.add("hub.agents.members[1].id", () -> "ben");
        registry.add("hub.agents.members[1].password-hash", () -> benHash);
        registry.add("hub.agents.members[1].queues", () -> "sales");
        registry.add("hub.agents.members[1].capacity", () -> "1");
        return new TestAgents(brokerUrl);
    }

    /** The supervisor {@link #SUPERVISOR} (password {@link #SUPERVISOR_PASSWORD}) as user number {@code userIndex} of config/agents.yaml. */
    public static void registerSupervisor(DynamicPropertyRegistry registry, int userIndex) {
        String hash = PasswordHashes.hash(SUPERVISOR_PASSWORD);
        registry.add("hub.agents.users[" + userIndex + "].id", () -> SUPERVISOR);
        registry.add("hub.agents.users[" + userIndex + "].password-hash", () -> hash);
        registry.add("hub.agents.users[" + userIndex + "].role", () -> "supervisor");
    }

    public static final String SUPERVISOR = "sam";
    public static final String SUPERVISOR_PASSWORD = "pw-sam-supervisor";

    /** A STOMP over WebSocket acceptor for browsers too, on a port of its own; its {@code ws://} URL. */
    public static String registerWebSocket(DynamicPropertyRegistry registry) {
        int port = freePort();
        registry.add("hub.broker.websocket-acceptor", () -> "tcp://127.0.0.1:" + port);
        return "ws://127.0.0.1:" + port;
    }

    public String brokerUrl() {
        return brokerUrl;
    }

    public AgentSession anna() throws Exception {
        return new AgentSession(brokerUrl, "anna", "pw-anna");
    }

    public AgentSession ben() throws Exception {
        return new AgentSession(brokerUrl, "ben", "pw-ben");
    }

    /** Anna with a client that sends heartbeats this often. */
    public AgentSession anna(java.time.Duration heartbeat) throws Exception {
        return new AgentSession(brokerUrl, "anna", "pw-anna", heartbeat);
    }

    public AgentSession ben(java.time.Duration heartbeat) throws Exception {
        return new AgentSession(brokerUrl, "ben", "pw-ben", heartbeat);
    }

    /** A TCP port nothing listens on right now. */
    public static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
