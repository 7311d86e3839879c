package io.messengerhub.broker;

import java.nio.charset.StandardCharsets;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * For the hub's own work on queues it does not consume from (an admin's dead-letter replay, an erasure): connections
 * of their own, and what a message holds.
 */
public final class BrokerMessages {

    private BrokerMessages() {
    }

    /**
     * The factory behind Spring's session cache: a connection of its own per use, since a cached consumer could keep
     * messages it prefetched.
     */
    public static ConnectionFactory uncached(ConnectionFactory shared) {
        return shared instanceof CachingConnectionFactory caching ? caching.getTargetConnectionFactory() : shared;
    }

    /** The body of a text or bytes message (UTF-8) as text; empty for any other kind. */
    public static String text(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText() == null ? "" : text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            return new String(bytes(bytes), StandardCharsets.UTF_8);
        }
        return "";
    }

    /** The whole body of a bytes message, read from its start. */
    public static byte[] bytes(BytesMessage message) throws JMSException {
        message.reset();
        byte[] content = new byte[(int) message.getBodyLength()];
        message.readBytes(content);
        return content;
    }
}
