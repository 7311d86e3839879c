package io.messengerhub.privacy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.messengerhub.agent.AgentDirectory;
import io.messengerhub.broker.BrokerAddresses;
import io.messengerhub.broker.BrokerMessages;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The broker's part of an erasure: takes the customer's messages off the queues where they wait for people or tools,
 * each queue in one broker transaction. Found by browsing (the broker cannot select on a message's body), taken by
 * their message ids:
 * <ul>
 *   <li>the webhook dead-letter queue: the customer's items of a raw webhook (sender or recipient is their PSID); a
 *   webhook that also holds other customers' items is put back without the customer's, in the same transaction;</li>
 *   <li>the reply dead-letter queue: Send API requests to the customer or in their conversations;</li>
 *   <li>the offer queues {@code <offer-prefix><queue>}: offers and customer updates of their conversations;</li>
 *   <li>agents' inboxes: every message about their conversations, except {@code conversation.erased} itself (it tells
 *   the agent to drop the conversation and names nothing but its id).</li>
 * </ul>
 * What it could not reach is said, place by place, in {@link Result#notErased}.
 */
@Component
public class BrokerErasure {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerErasure.class);

    /** The places of the erasure record, in its order. */
    static final List<String> PLACES = List.of("webhookDeadLetters", "replyDeadLetters", "offers", "agentInboxes");

    /** What the broker gave up and what it could not. */
    public record Result(Map<String, Integer> removed, List<String> notErased) {
    }

    private record Found(List<String> ids, Map<String, String> rewritten) {
    }

    private final ConnectionFactory connections;
    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final AgentDirectory agents;
    private final BrokerAddresses addresses;
    private final ObjectMapper json;
    private final String webhookDeadLetters;
    private final String replyDeadLetters;
    private final String offerPrefix;
    private final String inboxPrefix;

    public BrokerErasure(ConnectionFactory shared, ObjectProvider<EmbeddedActiveMQ> embedded, AgentDirectory agents,
                         BrokerAddresses addresses, ObjectMapper json,
                         @Value("${hub.webhook.dead-letter-queue}") String webhookDeadLetters,
                         @Value("${hub.send.dead-letter-queue}") String replyDeadLetters,
                         @Value("${hub.dispatch.offer-address-prefix}") String offerPrefix) {
        this.connections = BrokerMessages.uncached(shared);
        this.embedded = embedded;
        this.agents = agents;
        this.addresses = addresses;
        this.json = json;
        this.webhookDeadLetters = webhookDeadLetters;
        this.replyDeadLetters = replyDeadLetters;
        this.offerPrefix = offerPrefix;
        this.inboxPrefix = addresses.inbox("");
    }

    /** Takes the messages of these PSIDs and conversations off the broker; never throws, says what it could not do. */
    public Result erase(Set<String> psids, Collection<String> conversationIds) {
        var removed = new LinkedHashMap<String, Integer>();
        PLACES.forEach(place -> removed.put(place, 0));
        var notErased = new ArrayList<String>();
        if (psids.isEmpty() && conversationIds.isEmpty()) {
            return new Result(removed, notErased);
        }
        Set<String> identifiers = new TreeSet<>(psids);
        identifiers.addAll(conversationIds);
        ActiveMQServer server = server();
        try (Connection connection = connections.createConnection()) {
            connection.start();
            removed.put("webhookDeadLetters", eraseFrom(connection, webhookDeadLetters, message -> webhookWithout(message, psids), notErased, server));
            removed.put("replyDeadLetters", eraseFrom(connection, replyDeadLetters, message -> naming(message, identifiers, null), notErased, server));
            int offers = 0;
            for (String queue : queues(server, offerPrefix, offerQueueNames())) {
                offers += eraseFrom(connection, queue, message -> naming(message, identifiers, null), notErased, server);
            }
            removed.put("offers", offers);
            int inboxes = 0;
            for (String queue : queues(server, inboxPrefix, agents.members().stream().map(a -> addresses.inbox(a.id())).toList())) {
                inboxes += eraseFrom(connection, queue, message -> naming(message, identifiers, "conversation.erased"), notErased, server);
            }
            removed.put("agentInboxes", inboxes);
        } catch (JMSException | RuntimeException e) {
            LOG.error("Erasure could not reach the broker: {}", e.getMessage());
            notErased.add("the broker did not answer (" + e.getMessage() + "): what is listed as removed was taken off,"
                    + " the rest of the broker's queues were not searched; ask for the erasure again");
        }
        if (server == null) {
            notErased.add("a standalone broker: only the queues the hub knows by name were searched (the dead-letter queues,"
                    + " the offer queues of the configured agent queues, the inboxes of the agents the hub knows)");
        }
        return new Result(removed, notErased);
    }

    /** What to do with one message: null to keep it, "" to take it off, other text to put back instead of it. */
    @FunctionalInterface
    private interface Decision {
        String decide(String body) throws JMSException;
    }

    private int eraseFrom(Connection connection, String queue, Decision decision, List<String> notErased, ActiveMQServer server)
            throws JMSException {
        Found found;
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            var ids = new ArrayList<String>();
            var rewritten = new LinkedHashMap<String, String>();
            for (Enumeration<?> messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                Message message = (Message) messages.nextElement();
                String outcome = decision.decide(BrokerMessages.text(message));
                if (outcome != null) {
                    ids.add(message.getJMSMessageID());
                    if (!outcome.isEmpty()) {
                        rewritten.put(message.getJMSMessageID(), outcome);
                    }
                }
            }
            found = new Found(ids, rewritten);
        } catch (JMSException refused) {
            // A standalone broker may not let the hub browse a queue (its broker.xml decides).
            notErased.add(queue + ": the broker refused to let the hub read it (" + refused.getMessage() + ")");
            return 0;
        }
        int taken = found.ids().isEmpty() ? 0 : take(connection, queue, found);
        if (taken < found.ids().size()) {
            notErased.add(queue + ": " + (found.ids().size() - taken) + " of the customer's messages were taken by a consumer"
                    + " while the erasure ran");
        }
        long delivering = delivering(server, queue);
        if (delivering > 0) {
            notErased.add(queue + ": " + delivering + " message(s) were being delivered to a connected consumer and could not be"
                    + " inspected; if they were the customer's, they reached that consumer");
        }
        return taken;
    }

    /** Takes the found messages off in one transaction, putting back the rewritten webhooks. */
    private int take(Connection connection, String queue, Found found) throws JMSException {
        String selector = "JMSMessageID IN (" + found.ids().stream().map(id -> "'" + id.replace("'", "''") + "'")
                .collect(Collectors.joining(", ")) + ")";
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            int taken = 0;
            var jmsQueue = session.createQueue(queue);
            try (MessageConsumer consumer = session.createConsumer(jmsQueue, selector);
                 MessageProducer producer = session.createProducer(jmsQueue)) {
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                Message message;
                while (taken < found.ids().size() && (message = consumer.receive(taken == 0 ? 1000 : 250)) != null) {
                    String rewritten = found.rewritten().get(message.getJMSMessageID());
                    if (rewritten != null) {
                        producer.send(copy(session, message, rewritten));
                    }
                    taken++;
                }
            }
            session.commit();
            return taken;
        }
    }

    /** "" when every item of the webhook is the customer's, the webhook without them when some are, else null. */
    private String webhookWithout(String body, Set<String> psids) {
        JsonNode webhook = parse(body);
        if (webhook == null) {
            // Not JSON: the hub cannot tell items apart; it goes if it names the customer anywhere.
            return psids.stream().anyMatch(body::contains) ? "" : null;
        }
        boolean changed = false;
        ArrayNode keptEntries = json.createArrayNode();
        for (JsonNode entry : webhook.path("entry")) {
            ObjectNode kept = entry.deepCopy();
            boolean any = false;
            for (String list : List.of("messaging", "standby")) {
                if (!entry.has(list)) {
                    continue;
                }
                ArrayNode items = json.createArrayNode();
                for (JsonNode item : entry.path(list)) {
                    if (psids.contains(item.path("sender").path("id").asText()) || psids.contains(item.path("recipient").path("id").asText())) {
                        changed = true;
                    } else {
                        items.add(item);
                    }
                }
                kept.set(list, items);
                any |= !items.isEmpty();
            }
            if (any) {
                keptEntries.add(kept);
            } else if (!entry.has("messaging") && !entry.has("standby")) {
                keptEntries.add(kept);
            } else {
                changed = true;
            }
        }
        if (!changed) {
            return null;
        }
        if (keptEntries.isEmpty()) {
            return "";
        }
        ((ObjectNode) webhook).set("entry", keptEntries);
        return webhook.toString();
    }

    /** "" when the message names one of these PSIDs or conversations anywhere (and is not of type {@code except}). */
    private String naming(String body, Set<String> identifiers, String except) {
        JsonNode message = parse(body);
        if (message == null) {
            return identifiers.stream().anyMatch(body::contains) ? "" : null;
        }
        if (except != null && except.equals(message.path("type").asText())) {
            return null;
        }
        return names(message, identifiers) ? "" : null;
    }

    private static boolean names(JsonNode node, Set<String> identifiers) {
        if (node.isTextual()) {
            return identifiers.contains(node.asText());
        }
        for (JsonNode child : node) {
            if (names(child, identifiers)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isContainerNode() ? node : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    /** The webhook without the customer's items, with the original's properties and kind of body. */
    @SuppressWarnings("unchecked")
    private Message copy(Session session, Message original, String body) throws JMSException {
        Message copy;
        if (original instanceof BytesMessage) {
            var bytes = session.createBytesMessage();
            bytes.writeBytes(body.getBytes(StandardCharsets.UTF_8));
            copy = bytes;
        } else {
            copy = session.createTextMessage(body);
        }
        for (String name : Collections.list((Enumeration<String>) original.getPropertyNames())) {
            if (!name.startsWith("JMS") && !name.startsWith("_AMQ_") && !name.startsWith("__AMQ")) {
                copy.setObjectProperty(name, original.getObjectProperty(name));
            }
        }
        // The group named the first item's customer (WebhookGate): it now names the first that is left.
        JsonNode entry = parse(body).path("entry").path(0);
        JsonNode item = entry.path("messaging").path(0).isMissingNode() ? entry.path("standby").path(0) : entry.path("messaging").path(0);
        boolean echo = item.path("message").path("is_echo").asBoolean(false);
        copy.setStringProperty("JMSXGroupID", entry.path("id").asText("unknown") + ":"
                + item.path(echo ? "recipient" : "sender").path("id").asText("unknown"));
        return copy;
    }

    /** On the embedded broker every queue with the prefix; on a standalone one the names the hub knows. */
    private static List<String> queues(ActiveMQServer server, String prefix, Collection<String> known) {
        if (server == null) {
            return new TreeSet<>(known).stream().toList();
        }
        var names = new TreeSet<String>();
        for (String name : server.getActiveMQServerControl().getQueueNames()) {
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private List<String> offerQueueNames() {
        var names = new TreeSet<String>();
        agents.queues().forEach(queue -> names.add(offerPrefix + queue.name()));
        agents.members().forEach(agent -> agent.queues().forEach(queue -> names.add(offerPrefix + queue)));
        return List.copyOf(names);
    }

    private static long delivering(ActiveMQServer server, String queue) {
        Queue found = server == null ? null : server.locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getDeliveringCount();
    }

    private ActiveMQServer server() {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        return broker == null ? null : broker.getActiveMQServer();
    }
}
