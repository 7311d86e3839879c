package io.messengerhub.broker;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * The hub's broker connections look each queue and topic name up on the broker once, not before every send.
 * <p>
 * Spring's JMS template and Camel's {@code jms:} producer resolve a destination by its name on every send, and the
 * Artemis client answers {@code Session.createQueue} with a query to the broker unless its connection caches
 * destinations: a round trip, on the broker and in the hub, before each webhook is stored and each outbox message
 * sent (bench/README.md, "Issue 14, session 17"). The cache holds names only, per connection; the hub's queues
 * are declared by the broker's configuration or auto-created, so what is looked up once stays valid.
 * <p>
 * Set on the factory Spring Boot builds for {@code spring.artemis.*}, embedded or standalone, before its first
 * connection; every other factory of the hub (the outbox's, the management connection) is made from that one.
 */
@Component
class DestinationCache implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof ConnectionFactory factory
                && BrokerMessages.uncached(factory) instanceof ActiveMQConnectionFactory artemis) {
            artemis.setCacheDestinations(true);
        }
        return bean;
    }
}
