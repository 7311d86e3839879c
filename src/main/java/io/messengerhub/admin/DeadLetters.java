package io.messengerhub.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.messengerhub.api.ApiBadRequestException;
import io.messengerhub.broker.BrokerMessages;
import io.messengerhub.api.ApiNotFoundException;
import io.messengerhub.api.ApiUnavailableException;
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
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The dead-letter queues, for admins: what is in them and why, and replay back to where it failed.
 * <ul>
 *   <li>{@code webhooks}: raw webhooks whose processing failed on every attempt (reason and route attached), or that the
 *   broker moved after its last delivery; replayed to the inbound queue, where de-duplication makes whatever was
 *   recorded meanwhile harmless. The single items the hub refused for want of a Page, customer or time are kept there
 *   for people to read, and are not replayed: they would be refused again.</li>
 *   <li>{@code replies}: agents' replies given up after the last Send API attempt; replayed to the send queue (after
 *   the cause, an expired Page token say, is fixed), and the agent hears {@code message.sent} or {@code message.failed}
 *   again.</li>
 * </ul>
 * A replay takes the messages off the dead-letter queue and puts copies on the work queue in one broker transaction,
 * so a message is replayed once or not at all, never lost between the two.
 */
@Component("deadLetters")
public class DeadLetters {

    /** A dead letter as the admin API lists it. */
    public record Letter(String id, String queue, Instant timestamp, String reason, String failedIn, boolean replayable,
                         int bytes, String preview) {
    }

    /** What a replay did: the ids put back on their work queue, and those asked for that were not there. */
    public record Replayed(String queue, int count, List<String> replayed, List<String> notFound) {
    }

    /** Which messages to replay: ids, or a time range (either end may be open); not both. */
    public record Selection(List<String> ids, Instant from, Instant to) {
    }

    private record Queues(String deadLetters, String work, boolean keepsRefusedItems) {
    }

    static final String REASON = "hubDeadLetterReason";
    static final String ROUTE = "hubDeadLetterRoute";
    static final String REPLAYED_FROM = "hubReplayedFrom";
    private static final Pattern MESSAGE_ID = Pattern.compile("ID:[0-9A-Za-z-]{1,100}");
    private static final int MAX_PER_CALL = 1000;
    private static final int PREVIEW_CHARS = 500;
    /** A refused item carries a reason but no failing route; everything else in the webhooks queue can be replayed. */
    private static final String REPLAYABLE_WEBHOOK = REASON + " IS NULL OR " + ROUTE + " IS NOT NULL";

    private final ConnectionFactory connections;
    private final Map<String, Queues> queues;
    private final AdminAudit audit;

    public DeadLetters(ConnectionFactory shared, AdminAudit audit,
                       @Value("${hub.webhook.dead-letter-queue}") String webhookDeadLetters,
                       @Value("${hub.webhook.inbound-queue}") String inbound,
                       @Value("${hub.send.dead-letter-queue}") String replyDeadLetters,
                       @Value("${hub.send.queue}") String sendQueue) {
        this.connections = BrokerMessages.uncached(shared);
        this.audit = audit;
        this.queues = Map.of("webhooks", new Queues(webhookDeadLetters, inbound, true),
                "replies", new Queues(replyDeadLetters, sendQueue, false));
    }

    /** The oldest first, at most {@code limit}. Reading them is audited: they hold customers' messages. */
    public List<Letter> list(@Variable("admin") String admin, @Header("queue") String queue, @Header("limit") Integer limit) {
        Queues named = named(queue);
        int max = limit == null ? 100 : Math.max(1, Math.min(limit, MAX_PER_CALL));
        List<Letter> letters = withSession(false, session -> {
            var found = new ArrayList<Letter>();
            try (QueueBrowser browser = session.createBrowser(session.createQueue(named.deadLetters()))) {
                var messages = browser.getEnumeration();
                while (messages.hasMoreElements() && found.size() < max) {
                    found.add(letter(queue, named, (Message) messages.nextElement()));
                }
            }
            return found;
        });
        audit.record(admin, "dead-letters.list", queue, "limit=" + max, "done: " + letters.size() + " listed");
        return letters;
    }

    public Replayed replay(@Variable("admin") String admin, @Header("queue") String queue, @Body Selection selection) {
        Queues named = named(queue);
        String selector = selector(selection, named);
        String detail = selection.ids() != null ? "ids=" + selection.ids()
                : "from=" + selection.from() + ", to=" + selection.to();
        Replayed replayed = withSession(true, session -> {
            var done = new ArrayList<String>();
            var jmsQueue = session.createQueue(named.deadLetters());
            try (MessageConsumer consumer = session.createConsumer(jmsQueue, selector);
                 MessageProducer producer = session.createProducer(session.createQueue(named.work()))) {
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                Message message;
                while (done.size() < MAX_PER_CALL && (message = consumer.receive(done.isEmpty() ? 1000 : 250)) != null) {
                    producer.send(copy(session, message));
                    done.add(message.getJMSMessageID());
                }
            }
            session.commit();
            List<String> missing = selection.ids() == null ? List.of()
                    : selection.ids().stream().filter(id -> !done.contains(id)).toList();
            return new Replayed(queue, done.size(), List.copyOf(done), missing);
        });
        audit.record(admin, "dead-letters.replay", queue, detail, "done: " + replayed.count() + " replayed"
                + (replayed.notFound().isEmpty() ? "" : ", not found " + replayed.notFound()));
        return replayed;
    }

    private Queues named(String queue) {
        Queues named = queue == null ? null : queues.get(queue);
        if (named == null) {
            throw new ApiNotFoundException("no dead-letter queue '" + queue + "'; there are " + new java.util.TreeSet<>(queues.keySet()));
        }
        return named;
    }

    private static String selector(Selection selection, Queues queues) {
        if (selection == null || (selection.ids() == null) == (selection.from() == null && selection.to() == null)) {
            throw new ApiBadRequestException("give either ids (from the list) or a time range (from, to; ISO-8601), not both");
        }
        String chosen;
        if (selection.ids() != null) {
            if (selection.ids().isEmpty() || selection.ids().size() > MAX_PER_CALL) {
                throw new ApiBadRequestException("ids: 1 to " + MAX_PER_CALL + " message ids");
            }
            Set<String> ids = new LinkedHashSet<>(selection.ids());
            for (String id : ids) {
                if (id == null || !MESSAGE_ID.matcher(id).matches()) {
                    throw new ApiBadRequestException("ids: message ids as the list gives them (ID:...)");
                }
            }
            chosen = "JMSMessageID IN (" + ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")) + ")";
        } else {
            long from = selection.from() == null ? 0 : selection.from().toEpochMilli();
            long to = selection.to() == null ? Long.MAX_VALUE : selection.to().toEpochMilli();
            if (from >= to) {
                throw new ApiBadRequestException("from must be before to");
            }
            chosen = "JMSTimestamp >= " + from + " AND JMSTimestamp < " + to;
        }
        return queues.keepsRefusedItems() ? "(" + chosen + ") AND (" + REPLAYABLE_WEBHOOK + ")" : chosen;
    }

    private static Letter letter(String queue, Queues queues, Message message) throws JMSException {
        String reason = message.getStringProperty(REASON);
        String route = message.getStringProperty(ROUTE);
        String originalQueue = message.getStringProperty("_AMQ_ORIG_QUEUE");
        if (reason == null && originalQueue != null) {
            reason = "moved by the broker from " + originalQueue + " after its last delivery attempt (the hub did not finish it)";
        }
        boolean replayable = !queues.keepsRefusedItems() || message.getStringProperty(REASON) == null || route != null;
        String body = BrokerMessages.text(message);
        return new Letter(message.getJMSMessageID(), queue, Instant.ofEpochMilli(message.getJMSTimestamp()), reason, route,
                replayable, body.getBytes(StandardCharsets.UTF_8).length,
                body.length() <= PREVIEW_CHARS ? body : body.substring(0, PREVIEW_CHARS) + "…");
    }

    /** The message as it was first sent: its body, its group, the hub's properties; no dead-letter or broker marks. */
    private static Message copy(Session session, Message original) throws JMSException {
        Message copy;
        if (original instanceof BytesMessage bytes) {
            var created = session.createBytesMessage();
            created.writeBytes(BrokerMessages.bytes(bytes));
            copy = created;
        } else if (original instanceof TextMessage text) {
            copy = session.createTextMessage(text.getText());
        } else {
            throw new IllegalStateException("dead letter " + original.getJMSMessageID() + " is neither text nor bytes");
        }
        for (String name : Collections.list((java.util.Enumeration<String>) original.getPropertyNames())) {
            boolean brokers = name.startsWith("JMS") || name.startsWith("_AMQ_") || name.startsWith("__AMQ");
            if (!brokers && !name.equals(REASON) && !name.equals(ROUTE) && !name.equals(REPLAYED_FROM)) {
                copy.setObjectProperty(name, original.getObjectProperty(name));
            }
        }
        String group = original.getStringProperty("JMSXGroupID");
        if (group != null) {
            copy.setStringProperty("JMSXGroupID", group);
        }
        copy.setStringProperty(REPLAYED_FROM, original.getJMSMessageID());
        return copy;
    }

    @FunctionalInterface
    private interface SessionWork<T> {
        T run(Session session) throws JMSException;
    }

    private <T> T withSession(boolean transacted, SessionWork<T> work) {
        try (Connection connection = connections.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE)) {
                return work.run(session);
            }
        } catch (JMSException e) {
            throw new ApiUnavailableException("the broker did not answer, nothing was changed: " + e.getMessage());
        }
    }
}
