package io.messengerhub.outbox;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.springframework.stereotype.Component;

/**
 * {@code outbox:queue:NAME} and {@code outbox:topic:NAME}: writes the body (text as it is, anything else as JSON) to
 * the transactional outbox for that broker address, in the current database transaction; it is sent once that
 * commits. The broker's duplicate id is the recorded event's {@link DomainEvent#dedupKey()}, so a decision made twice
 * sends once (Artemis keeps duplicate ids per address: one event may send to several addresses under one key, but
 * not twice to the same one). A {@code hubDeadLetterReason} header marks a message for a dead-letter queue.
 * <p>
 * Used by {@code routes/events.camel.yaml}; it is the only way messages leave a transaction.
 */
@Component("outbox")
public class OutboxComponent extends DefaultComponent {

    public static final String DEAD_LETTER_REASON = "hubDeadLetterReason";

    private final Outbox outbox;

    public OutboxComponent(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String destination;
        if (remaining.startsWith("queue:")) {
            destination = remaining.substring("queue:".length());
        } else if (remaining.startsWith("topic:")) {
            destination = remaining;
        } else {
            throw new IllegalArgumentException("outbox endpoint '" + uri + "' must name queue:<address> or topic:<address>");
        }
        if (destination.isBlank() || destination.endsWith(":")) {
            throw new IllegalArgumentException("outbox endpoint '" + uri + "' names no address");
        }
        return new OutboxEndpoint(uri, this, destination);
    }

    private static final class OutboxEndpoint extends DefaultEndpoint {

        private final String destination;

        OutboxEndpoint(String uri, OutboxComponent component, String destination) {
            super(uri, component);
            this.destination = destination;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) {
                    Object event = exchange.getVariable(DomainEvents.EVENT);
                    String key = event instanceof DomainEvent domain ? domain.dedupKey() : null;
                    ((OutboxComponent) getComponent()).outbox.write(destination, key,
                            exchange.getIn().getBody(), exchange.getIn().getHeader(DEAD_LETTER_REASON, String.class));
                }
            };
        }

        @Override
        public org.apache.camel.Consumer createConsumer(org.apache.camel.Processor processor) {
            throw new UnsupportedOperationException("the outbox is written to, not read from: " + getEndpointUri());
        }
    }
}
