package io.messengerhub.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A small client for agents: connects to the hub's broker as one agent, delivers everything that arrives on the
 * agent's inbox to a callback, and sends commands. This is what the terminal console is built on and what an
 * organisation would use for its own client; the wire protocol itself is in docs/asyncapi.yaml.
 */
public final class AgentClient implements AutoCloseable {

    public static final String COMMANDS = "contact-center.commands";
    public static final String FILES = "contact-center.files";
    public static final String INBOX_PREFIX = "contact-center.agents.";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    private final Connection connection;
    private final Session sendSession;
    private final MessageProducer commands;
    private final MessageProducer files;
    private final String agentId;
    private final ScheduledExecutorService heartbeats;

    private AgentClient(Connection connection, String agentId, Consumer<JsonNode> onMessage, Duration heartbeat)
            throws JMSException {
        this.connection = connection;
        this.agentId = agentId;
        Session receiveSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        receiveSession.createConsumer(receiveSession.createQueue(INBOX_PREFIX + agentId)).setMessageListener(message -> {
            try {
                onMessage.accept(json.readTree(((TextMessage) message).getText()));
            } catch (JMSException | JsonProcessingException e) {
                throw new IllegalStateException("unreadable inbox message", e);
            }
        });
        this.sendSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.commands = sendSession.createProducer(sendSession.createQueue(COMMANDS));
        this.commands.setDeliveryMode(DeliveryMode.PERSISTENT);
        this.files = sendSession.createProducer(sendSession.createQueue(FILES));
        this.files.setDeliveryMode(DeliveryMode.PERSISTENT);
        connection.start();
        // The hub sets an agent Offline when its client goes silent (hub.agents.heartbeat-timeout).
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "agent-heartbeat-" + agentId);
            thread.setDaemon(true);
            return thread;
        });
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Logs in to the broker (e.g. {@code tcp://127.0.0.1:61616}) as the agent and starts receiving its inbox.
     * Messages that arrived while the agent was away are delivered first.
     */
    public static AgentClient connect(String brokerUrl, String agentId, String password, Consumer<JsonNode> onMessage)
            throws JMSException {
        return connect(brokerUrl, agentId, password, onMessage, DEFAULT_HEARTBEAT);
    }

    /** As {@link #connect(String, String, String, Consumer)}, with the interval of the client's heartbeats. */
    public static AgentClient connect(String brokerUrl, String agentId, String password, Consumer<JsonNode> onMessage,
                                      Duration heartbeat) throws JMSException {
        var factory = new ActiveMQConnectionFactory(brokerUrl, agentId, password);
        Connection connection = factory.createConnection();
        try {
            return new AgentClient(connection, agentId, onMessage, heartbeat);
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    public String agentId() {
        return agentId;
    }

    /** Sends a command; returns its requestId, which the matching {@code command.result} echoes. */
    public synchronized String send(String type, Map<String, ?> fields) throws JMSException {
        var command = new LinkedHashMap<String, Object>();
        String requestId = UUID.randomUUID().toString();
        command.put("type", type);
        command.put("requestId", requestId);
        command.putAll(fields);
        try {
            commands.send(sendSession.createTextMessage(json.writeValueAsString(command)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("command fields must be JSON values", e);
        }
        return requestId;
    }

    /**
     * Sends a file to the customer of a conversation; the outcome arrives as message.sent or message.failed with
     * the returned requestId.
     */
    public synchronized String sendFile(String conversationId, Path file) throws JMSException, IOException {
        String requestId = UUID.randomUUID().toString();
        var message = sendSession.createBytesMessage();
        message.writeBytes(Files.readAllBytes(file));
        message.setStringProperty("conversationId", conversationId);
        message.setStringProperty("fileName", file.getFileName().toString());
        message.setStringProperty("requestId", requestId);
        files.send(message);
        return requestId;
    }

    public String setPresence(String presence) throws JMSException {
        return send("presence.set", Map.of("presence", presence));
    }

    public String accept(String offerId) throws JMSException {
        return send("offer.accept", Map.of("offerId", offerId));
    }

    public String reject(String offerId) throws JMSException {
        return send("offer.reject", Map.of("offerId", offerId));
    }

    public String sendText(String conversationId, String text) throws JMSException {
        return send("message.send", Map.of("conversationId", conversationId, "text", text));
    }

    /** end (Wrap-up), wait (close the session without ending), close, release. */
    public String conversation(String action, String conversationId) throws JMSException {
        return send("conversation." + action, Map.of("conversationId", conversationId));
    }

    public String transfer(String conversationId, String queue) throws JMSException {
        return send("conversation.transfer", Map.of("conversationId", conversationId, "queue", queue));
    }

    public String searchKnowledge(String words) throws JMSException {
        return send("knowledge.search", Map.of("query", words));
    }

    /** Sends the article's title, short text and link to the customer in one step. */
    public String shareArticle(String conversationId, String articleId) throws JMSException {
        return send("knowledge.share", Map.of("conversationId", conversationId, "articleId", articleId));
    }

    /**
     * Searches archived transcripts.
     *
     * @param filters any of psid, contactId, agent, page, queue, status, from, to (a day or an instant), limit
     */
    public String searchTranscripts(String words, Map<String, ?> filters) throws JMSException {
        var fields = new LinkedHashMap<String, Object>(filters);
        fields.put("query", words);
        return send("transcript.search", fields);
    }

    /**
     * The conversation view: customer, status, transcript, notes, files, linked case, sentiment, other conversations.
     * One of the other conversations of a customer the agent serves opens read-only ({@code readOnly: true}).
     */
    public String openConversation(String conversationId) throws JMSException {
        return send("conversation.open", Map.of("conversationId", conversationId));
    }

    public String addNote(String conversationId, String text) throws JMSException {
        return send("note.add", Map.of("conversationId", conversationId, "text", text));
    }

    /** Opens a CRM case for the customer's contact and links it to the conversation. */
    public String createCase(String conversationId, String title, String description) throws JMSException {
        var fields = new LinkedHashMap<String, Object>(Map.of("conversationId", conversationId, "title", title));
        if (description != null) {
            fields.put("description", description);
        }
        return send("case.create", fields);
    }

    /** Cases of the conversation's customer whose id or title contains the words. */
    public String searchCases(String conversationId, String words) throws JMSException {
        return send("case.search", Map.of("conversationId", conversationId, "query", words));
    }

    public String linkCase(String conversationId, String caseId) throws JMSException {
        return send("case.link", Map.of("conversationId", conversationId, "caseId", caseId));
    }

    public String resolveCase(String conversationId, String resolution) throws JMSException {
        return send("case.resolve", Map.of("conversationId", conversationId, "resolution", resolution));
    }

    /** Forgets the conversation's linked case; the case stays in the CRM as it is. */
    public String unlinkCase(String conversationId) throws JMSException {
        return send("case.unlink", Map.of("conversationId", conversationId));
    }

    /** CRM contacts whose name, email or phone contains the words (at most 20). */
    public String searchContacts(String words) throws JMSException {
        return send("contact.search", Map.of("query", words));
    }

    /** Links the conversation's customer to an existing CRM contact. */
    public String linkContact(String conversationId, String contactId) throws JMSException {
        return send("contact.link", Map.of("conversationId", conversationId, "contactId", contactId));
    }

    /** Unlinks the conversation's customer from its CRM contact (and forgets the linked case). */
    public String unlinkContact(String conversationId) throws JMSException {
        return send("contact.unlink", Map.of("conversationId", conversationId));
    }

    /** Creates a CRM contact from the customer's Facebook profile and links the conversation to it. */
    public String createContact(String conversationId) throws JMSException {
        return send("contact.create", Map.of("conversationId", conversationId));
    }

    /** Sends a button that calls the number (null: the hub's configured number). */
    public String sendCallButton(String conversationId, String phoneNumber) throws JMSException {
        var fields = new LinkedHashMap<String, Object>(Map.of("conversationId", conversationId));
        if (phoneNumber != null) {
            fields.put("phoneNumber", phoneNumber);
        }
        return send("call.button", fields);
    }

    /** Asks the customer for their phone number with one tap, to call them back. */
    public String requestCallback(String conversationId) throws JMSException {
        return send("call.callback", Map.of("conversationId", conversationId));
    }

    private void heartbeat() {
        try {
            send("heartbeat", Map.of());
        } catch (JMSException | RuntimeException e) {
            // The connection is failing; closing or reconnecting is the caller's business.
        }
    }

    @Override
    public void close() throws JMSException {
        heartbeats.shutdownNow();
        connection.close();
    }
}
