package io.messengerhub.broker;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the embedded Artemis broker that Spring Boot's own {@code spring.artemis.*} do not cover.
 *
 * @param tcpAcceptor             where agent clients on this machine connect; empty for in-VM only
 * @param websocketAcceptor       where browsers connect with STOMP over WebSocket (host, port and TLS parameters;
 *                                the hub adds the protocol and the destination prefixes); empty for none
 * @param websocketAllowedOrigins pages (their {@code Origin}) that may open the WebSocket acceptor, besides the
 *                                hub's own
 * @param websocketUrl            the URL browsers open, when it is not {@code ws://<the page's host>:<port of the
 *                                WebSocket acceptor>} (a TLS proxy in front, a standalone broker elsewhere)
 * @param maxDeliveryAttempts     how often a raw webhook is processed before it goes to the dead-letter address
 * @param redeliveryDelay         the first wait before a failed raw webhook is processed again (doubles each time)
 * @param maxRedeliveryDelay      the longest such wait
 */
@ConfigurationProperties("hub.broker")
public record BrokerProperties(String tcpAcceptor, String websocketAcceptor, List<String> websocketAllowedOrigins,
                               String websocketUrl, int maxDeliveryAttempts, Duration redeliveryDelay,
                               Duration maxRedeliveryDelay) {

    public BrokerProperties {
        websocketAllowedOrigins = websocketAllowedOrigins == null ? List.of() : List.copyOf(websocketAllowedOrigins);
    }
}
