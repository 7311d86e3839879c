package io.messengerhub.broker;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.MetricsConfiguration;
import org.apache.activemq.artemis.core.server.metrics.ActiveMQMetricsPlugin;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shapes the embedded broker that {@code mvn spring-boot:run} starts: a TCP acceptor for agent clients, bounded
 * redelivery with a dead-letter address for raw webhooks, and the broker's own metrics in the hub's registry
 * (queue depths show up on /actuator/prometheus as {@code artemis_message_count}).
 * A standalone broker (docker-compose.yml) carries the same settings in its broker.xml.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedBrokerConfiguration {

    @Bean
    ArtemisConfigurationCustomizer hubBrokerSettings(BrokerProperties broker, MeterRegistry meterRegistry,
                                                     @Value("${hub.webhook.inbound-queue}") String inboundQueue,
                                                     @Value("${hub.webhook.dead-letter-queue}") String deadLetterQueue) {
        return configuration -> {
            if (broker.tcpAcceptor() != null && !broker.tcpAcceptor().isBlank()) {
                try {
                    configuration.addAcceptorConfiguration("agents", broker.tcpAcceptor());
                } catch (Exception e) {
                    throw new IllegalStateException("hub.broker.tcp-acceptor is not a valid acceptor URI: "
                            + broker.tcpAcceptor(), e);
                }
            }
            configuration.addAddressSetting(inboundQueue, new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                    .setAutoCreateDeadLetterResources(false)
                    .setMaxDeliveryAttempts(broker.maxDeliveryAttempts())
                    .setRedeliveryDelay(broker.redeliveryDelay().toMillis())
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(broker.maxRedeliveryDelay().toMillis()));
            configuration.setMetricsConfiguration(new MetricsConfiguration()
                    // The JVM meters are Spring Boot's already; the broker adds only its own.
                    .setJvmMemory(false).setJvmGc(false).setJvmThread(false).setNettyPool(false)
                    .setPlugin(new SharedRegistry(meterRegistry)));
        };
    }

    /** Hands the broker the application's meter registry instead of letting it keep its own. */
    private record SharedRegistry(MeterRegistry registry) implements ActiveMQMetricsPlugin {

        @Override
        public ActiveMQMetricsPlugin init(Map<String, String> options) {
            return this;
        }

        @Override
        public MeterRegistry getRegistry() {
            return registry;
        }
    }
}
