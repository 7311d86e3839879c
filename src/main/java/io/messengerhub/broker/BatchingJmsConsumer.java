package io.messengerhub.broker;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.component.jms.JmsBinding;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.JmsResourceHolder;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The consumer of a {@code jms-batch:} endpoint: Spring's listener container, as Camel's {@code jms:} consumer uses
 * it (its threads, reconnection after a broker failover, a clean stop), each of whose consumers receives a batch in a
 * locally transacted session instead of a single message. Suspending it (the database outage breaker does) stops the
 * container; the messages wait on the broker.
 */
final class BatchingJmsConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingJmsConsumer.class);

    private final ConnectionFactory connectionFactory;
    private final String queue;
    private final int consumers;
    private final int batchSize;
    private final JmsBinding binding = new JmsBinding();
    private BatchContainer container;

    BatchingJmsConsumer(Endpoint endpoint, Processor processor, ConnectionFactory connectionFactory, String queue,
                        int consumers, int batchSize) {
        super(endpoint, processor);
        this.connectionFactory = connectionFactory;
        this.queue = queue;
        this.consumers = consumers;
        this.batchSize = batchSize;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (container == null) {
            container = new BatchContainer();
            container.setConnectionFactory(connectionFactory);
            container.setDestinationName(queue);
            container.setSessionTransacted(true);
            container.setCacheLevel(DefaultMessageListenerContainer.CACHE_CONSUMER);
            container.setConcurrentConsumers(consumers);
            container.setMaxConcurrentConsumers(consumers);
            // Its threads are named as Camel names those of its jms: consumers: JmsBatchConsumer[queue]-1, -2, ...
            container.setBeanName("JmsBatchConsumer[" + queue + "]");
            // One line per batch sent back, without Spring's stack trace; the failed step reported the details.
            container.setErrorHandler(failure -> LOG.warn("Messages go back to {} for another attempt: {}", queue, failure.getMessage()));
            container.afterPropertiesSet();
        }
        container.start();
    }

    @Override
    protected void doSuspend() {
        container.stop();
    }

    @Override
    protected void doResume() {
        container.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (container != null) {
            container.stop();
            container.shutdown();
            container = null;
        }
        super.doStop();
    }

    /**
     * Runs the route once for the batch, on the container's thread. Throws when the exchange failed, so that the
     * container rolls the session back.
     */
    private void process(List<Message> received) throws JMSException {
        Exchange exchange = createExchange(false);
        try {
            var messages = new ArrayList<org.apache.camel.Message>(received.size());
            for (Message jms : received) {
                var message = new DefaultMessage(exchange);
                message.setBody(binding.extractBodyFromJms(exchange, jms));
                message.setHeaders(binding.extractHeadersFromJms(jms, exchange));
                messages.add(message);
            }
            exchange.getIn().setBody(messages);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        boolean rollbackOnly = exchange.isRollbackOnly();
        releaseExchange(exchange, false);
        if (failure instanceof JMSException jms) {
            throw jms;
        }
        if (failure != null) {
            throw new BatchFailedException(received.size(), failure);
        }
        if (rollbackOnly) {
            throw new BatchFailedException(received.size(), null);
        }
    }

    /** A batch whose exchange failed; its messages go back to the broker. */
    static final class BatchFailedException extends RuntimeException {
        BatchFailedException(int size, Exception cause) {
            super("a batch of " + size + " messages failed" + (cause == null ? " (marked for rollback)" : ": " + cause), cause);
        }
    }

    /**
     * Spring's container with the one step that differs: after the first message (waited for as long as the
     * container's receive timeout), it takes the messages already at hand, up to the batch size, without waiting, and
     * runs the route once for all of them. Commit and rollback are the container's, once per batch. The session is
     * exposed to the route as Spring exposes a listener's session, so a {@code jms:} send in the route joins the
     * transaction.
     */
    private final class BatchContainer extends DefaultMessageListenerContainer {

        @Override
        protected boolean doReceiveAndExecute(Object invoker, Session session, MessageConsumer consumer,
                                              TransactionStatus status) throws JMSException {
            if (session == null || consumer == null) {
                throw new IllegalStateException("jms-batch needs the container's cached session and consumer (CACHE_CONSUMER)");
            }
            Message first = receiveMessage(consumer);
            if (first == null) {
                noMessageReceived(invoker, session);
                commitIfNecessary(session, null);
                return false;
            }
            messageReceived(invoker, session);
            var batch = new ArrayList<Message>(batchSize);
            batch.add(first);
            Message next;
            // receive(1) takes what the client already holds for this consumer; receiveNoWait would ask the broker.
            while (batch.size() < batchSize && (next = consumer.receive(1)) != null) {
                batch.add(next);
            }
            Throwable failure = null;
            boolean expose = !TransactionSynchronizationManager.hasResource(obtainConnectionFactory());
            if (expose) {
                TransactionSynchronizationManager.bindResource(obtainConnectionFactory(), new ExposedSession(session));
            }
            try {
                process(batch);
            } catch (JMSException | RuntimeException | Error e) {
                failure = e;
            } finally {
                // Unbound first: while it is bound, Spring takes the session for an outside transaction's and
                // neither commits nor rolls it back.
                if (expose) {
                    TransactionSynchronizationManager.unbindResource(obtainConnectionFactory());
                }
            }
            if (failure != null) {
                rollbackOnExceptionIfNecessary(session, failure);
                invokeErrorHandler(failure);
                if (failure instanceof JMSException jms) {
                    throw jms;
                }
                return true;
            }
            commitIfNecessary(session, first);
            return true;
        }
    }

    /**
     * The session as Spring's container exposes a listener's session: Spring's JMS template (under Camel's
     * {@code jms:} producer) uses it, and leaves its commit to the container.
     */
    private static final class ExposedSession extends JmsResourceHolder {
        ExposedSession(Session session) {
            super(session);
        }
    }
}
