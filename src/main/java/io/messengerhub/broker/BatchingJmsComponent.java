package io.messengerhub.broker;

import java.util.Map;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.springframework.stereotype.Component;

/**
 * Camel component {@code jms-batch:queue:NAME}: a transacted consumer that takes up to {@code batchSize} messages
 * the broker has ready in one broker transaction and hands them to the route as one exchange, whose body is the list
 * of their Camel messages (body and headers as the {@code jms:} component maps them). The route's one outcome decides
 * for all of them: the broker transaction commits when the exchange succeeds and rolls back when it fails, so the
 * broker delivers every message of the batch again. Consumer only; sends go through {@code jms:}.
 *
 * <p>Camel 4.17's {@code jms:} and {@code sjms:} consumers take one message per transaction; a batching option of the
 * {@code sjms:} consumer is being added upstream (CAMEL-16039), and this component should give way to it once the
 * hub runs a Camel release that has it. Options: {@code concurrentConsumers} (default 1), {@code batchSize} (default
 * 16). A consumer never waits for a batch to fill: it takes what is ready and goes.
 *
 * <p>It uses Spring Boot's broker connection factory, the one Camel's {@code jms:} component uses, so a {@code jms:}
 * send in the route (a dead-letter) joins the batch's broker transaction.
 */
@Component("jms-batch")
public class BatchingJmsComponent extends DefaultComponent {

    private final ConnectionFactory connectionFactory;

    public BatchingJmsComponent(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!remaining.startsWith("queue:") || remaining.length() == "queue:".length()) {
            throw new IllegalArgumentException("jms-batch takes a queue: jms-batch:queue:NAME, not " + uri);
        }
        int consumers = getAndRemoveParameter(parameters, "concurrentConsumers", Integer.class, 1);
        int batchSize = getAndRemoveParameter(parameters, "batchSize", Integer.class, 16);
        if (consumers < 1 || batchSize < 1) {
            throw new IllegalArgumentException("jms-batch needs concurrentConsumers and batchSize of at least 1: " + uri);
        }
        return new BatchingJmsEndpoint(uri, this, remaining.substring("queue:".length()), consumers, batchSize);
    }

    /** One queue, consumed in batches. */
    static final class BatchingJmsEndpoint extends DefaultEndpoint {

        private final String queue;
        private final int consumers;
        private final int batchSize;

        BatchingJmsEndpoint(String uri, BatchingJmsComponent component, String queue, int consumers, int batchSize) {
            super(uri, component);
            this.queue = queue;
            this.consumers = consumers;
            this.batchSize = batchSize;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("jms-batch only consumes; send with jms:queue:" + queue);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            var consumer = new BatchingJmsConsumer(this, processor, connectionFactory(), queue, consumers, batchSize);
            configureConsumer(consumer);
            return consumer;
        }

        private ConnectionFactory connectionFactory() {
            return ((BatchingJmsComponent) getComponent()).connectionFactory;
        }
    }
}
