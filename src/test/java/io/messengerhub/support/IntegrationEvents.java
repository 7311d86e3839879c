package io.messengerhub.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** A CRM's subscription to the integration events topic, collecting what it receives. */
public final class IntegrationEvents implements AutoCloseable {

    private final Connection connection;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    public IntegrationEvents(ConnectionFactory factory, String topic, ObjectMapper json) throws JMSException {
        connection = factory.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createTopic(topic)).setMessageListener(message -> {
            try {
                received.add(json.readTree(((TextMessage) message).getText()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        connection.start();
    }

    public List<JsonNode> of(String type, String conversationId) {
        return received.stream().filter(e -> type.equals(e.path("type").asText()))
                .filter(e -> conversationId.equals(e.path("conversationId").asText())).toList();
    }

    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
