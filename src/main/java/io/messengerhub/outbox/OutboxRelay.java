package io.messengerhub.outbox;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends committed outbox messages to the broker on the outbox's own connection, never inside the broker transaction
 * of the webhook or command being processed: a send is final when this returns, so the rows can then be deleted.
 * <p>
 * The messages one decision produced (an event's offer, integration event, agent message, ...) go out in one local
 * broker transaction: one journal sync for all of them instead of one synchronous round trip each. Artemis rolls a
 * transaction back when one of its messages is a duplicate (the sweeper re-sending what went out just before a
 * crash), so a batch that fails is sent again message by message, where a duplicate is simply dropped.
 */
@Component("outboxRelay")
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String TOPIC_PREFIX = "topic:";

    private final OutboxBrokerConfiguration.OutboxConnection connection;

    public OutboxRelay(OutboxBrokerConfiguration.OutboxConnection connection) {
        this.connection = connection;
    }

    /** Sends the messages; returns the ids of those the broker now has for good. Throws when none could be sent. */
    public List<Long> send(List<OutboxMessage> messages) throws JMSException {
        if (messages == null || messages.isEmpty()) {
            return List.of();
        }
        try {
            sendTogether(messages);
            return messages.stream().map(OutboxMessage::id).toList();
        } catch (JMSException together) {
            LOG.debug("Sending {} outbox messages together failed ({}); sending them one by one", messages.size(), together.toString());
        }
        var sent = new ArrayList<Long>();
        JMSException last = null;
        for (OutboxMessage message : messages) {
            try {
                sendAlone(message);
                sent.add(message.id());
            } catch (JMSException e) {
                last = e;
            }
        }
        if (sent.isEmpty() && last != null) {
            throw last;
        }
        return sent;
    }

    private void sendTogether(List<OutboxMessage> messages) throws JMSException {
        try (Connection shared = connection.factory().createConnection();
             Session session = shared.createSession(true, Session.SESSION_TRANSACTED)) {
            try {
                for (OutboxMessage message : messages) {
                    produce(session, message);
                }
                session.commit();
            } catch (JMSException e) {
                rollbackQuietly(session);
                throw e;
            }
        }
    }

    private void sendAlone(OutboxMessage message) throws JMSException {
        try (Connection shared = connection.factory().createConnection();
             Session session = shared.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            produce(session, message);
        }
    }

    private static void produce(Session session, OutboxMessage message) throws JMSException {
        String destination = message.destination();
        Destination target = destination.startsWith(TOPIC_PREFIX)
                ? session.createTopic(destination.substring(TOPIC_PREFIX.length())) : session.createQueue(destination);
        Message jms = session.createTextMessage(message.body());
        // Artemis drops a second message with the same id, so sending again after a crash is harmless.
        jms.setStringProperty("_AMQ_DUPL_ID", message.dedupId());
        if (message.deadLetterReason() != null) {
            jms.setStringProperty("hubDeadLetterReason", message.deadLetterReason());
        }
        try (MessageProducer producer = session.createProducer(target)) {
            producer.send(jms, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        }
    }

    private static void rollbackQuietly(Session session) {
        try {
            session.rollback();
        } catch (JMSException ignored) {
            // The transaction is gone with its session; nothing of it was committed.
        }
    }
}
