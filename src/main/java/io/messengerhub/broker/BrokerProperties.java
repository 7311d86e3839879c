package io.messengerhub.broker;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedded Artemis broker that Spring Boot's own {@code spring.artemis.*} do not cover.
 *
 * @param tcpAcceptor         where agent clients on this machine connect; empty for in-VM only
 * @param maxDeliveryAttempts how often a raw webhook is processed before it goes to the dead-letter address
 * @param redeliveryDelay     the first wait before a failed raw webhook is processed again (doubles each time)
 * @param maxRedeliveryDelay  the longest such wait
 */
@ConfigurationProperties("hub.broker")
public record BrokerProperties(String tcpAcceptor, int maxDeliveryAttempts, Duration redeliveryDelay,
                               Duration maxRedeliveryDelay) {
}
