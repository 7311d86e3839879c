package io.messengerhub.broker;

import java.util.Map;

import java.util.Set;
import java.util.TreeSet;

import io.messengerhub.agent.AgentProperties;
import io.messengerhub.agent.Logins;
import io.messengerhub.channel.ChannelProperties;
import io.messengerhub.routing.RoutingProperties;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
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
 * Shapes the embedded broker that {@code mvn spring-boot:run} starts: a TCP acceptor for agent clients, a STOMP over
 * WebSocket acceptor for browsers (only the pages of {@link WebSocketOrigins} may open it), bounded
 * redelivery with a dead-letter address for raw webhooks, and the broker's own metrics in the hub's registry
 * (queue depths show up on /actuator/prometheus as {@code artemis_message_count}).
 * A standalone broker (docker-compose.yml) carries the same settings in its broker.xml.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedBrokerConfiguration {

    /**
     * Deliveries of hub.send.outbound beyond hub.send.max-attempts: for the hub's give-up step when a fault cut it
     * short; deploy/artemis/broker.xml has the same (max-delivery-attempts = hub.send.max-attempts + this).
     */
    static final int SEND_GIVE_UP_TRIES = 4;

    /**
     * Deliveries of hub.webhook.inbound beyond hub.broker.max-delivery-attempts: a last attempt cut short (the hub
     * killed in it) is not a failure, so the event is processed again and dead-lettered by the hub, with its reason,
     * only if that fails; deploy/artemis/broker.xml has the same (max-delivery-attempts = the hub's + this).
     */
    static final int INBOUND_SPARE_DELIVERIES = 2;

    /** Gives the embedded broker the hub's security manager before it starts. */
    @Bean
    static BeanPostProcessor brokerSecurityInstaller(ObjectProvider<Logins> logins, ObjectProvider<HubBrokerLogin> hubLogin) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof EmbeddedActiveMQ broker) {
                    HubBrokerLogin hub = hubLogin.getObject();
                    broker.setSecurityManager(new BrokerSecurity(logins.getObject(), hub.user(), hub.password()));
                }
                return bean;
            }
        };
    }

    /** Which role may do what where: agents read only their own inbox and only send commands. */
    @Bean
    ArtemisConfigurationCustomizer hubBrokerSecurity(AgentProperties agents, BrokerAddresses addresses,
                                                     ChannelProperties channels, RoutingProperties routing,
                                                     @Value("${hub.dispatch.offer-address-prefix}") String offerAddressPrefix,
                                                     @Value("${hub.integration.events-topic}") String eventsTopic) {
        return configuration -> {
            // Every address docs/asyncapi.yaml names exists from the start, so supervisors and integrations can
            // subscribe before the first event or offer (their roles may not create addresses).
            configuration.addAddressConfiguration(new CoreAddressConfiguration().setName(eventsTopic)
                    .addRoutingType(RoutingType.MULTICAST));
            // A STOMP subscriber's queue comes without a routing type; on an address that may be auto-created Artemis
            // then asks for the right to create addresses, which subscribers do not have. This one is never created.
            configuration.addAddressSetting(eventsTopic, new AddressSettings().setAutoCreateAddresses(false));
            for (String queue : offerQueues(agents, channels, routing)) {
                configuration.addQueueConfiguration(QueueConfiguration.of(offerAddressPrefix + queue)
                        .setRoutingType(RoutingType.ANYCAST));
            }
            configuration.setSecurityEnabled(true);
            // Commands carry the broker-authenticated user (_AMQ_VALIDATED_USER), so an agent cannot speak for another.
            configuration.setPopulateValidatedUser(true);
            // In-VM and anonymous TCP logins would share a cache entry; agents log in rarely, so no cache.
            configuration.setAuthenticationCacheSize(0);
            configuration.putSecurityRoles("#", Set.of(hub()));
            configuration.putSecurityRoles(addresses.commands(), Set.of(hub(),
                    new Role(BrokerSecurity.AGENT_ROLE, true, false, false, false, false, false, false, false, false, false)));
            configuration.putSecurityRoles(offerAddressPrefix + "#", Set.of(hub(), reader(BrokerSecurity.SUPERVISOR_ROLE)));
            configuration.putSecurityRoles(eventsTopic, Set.of(hub(), subscriber(BrokerSecurity.INTEGRATION_ROLE),
                    subscriber(BrokerSecurity.SUPERVISOR_ROLE)));
            configuration.addQueueConfiguration(QueueConfiguration.of(addresses.commands()).setRoutingType(RoutingType.ANYCAST));
            configuration.putSecurityRoles(addresses.files(), Set.of(hub(),
                    new Role(BrokerSecurity.AGENT_ROLE, true, false, false, false, false, false, false, false, false, false)));
            configuration.addQueueConfiguration(QueueConfiguration.of(addresses.files()).setRoutingType(RoutingType.ANYCAST));
            for (var agent : agents.members()) {
                String inbox = addresses.inbox(agent.id());
                configuration.putSecurityRoles(inbox, Set.of(hub(), reader(BrokerSecurity.agentRole(agent.id()))));
                configuration.addQueueConfiguration(QueueConfiguration.of(inbox).setRoutingType(RoutingType.ANYCAST));
            }
        };
    }

    /** Every agent queue the configuration can route to: the agents', the Pages', the rules' and the fallback. */
    static Set<String> offerQueues(AgentProperties agents, ChannelProperties channels, RoutingProperties routing) {
        var queues = new TreeSet<String>();
        agents.queues().forEach(queue -> queues.add(queue.name()));
        channels.pages().forEach(page -> queues.add(page.queue()));
        routing.rules().forEach(rule -> queues.add(rule.queue()));
        queues.add(routing.fallbackQueue());
        queues.removeIf(name -> name == null || name.isBlank());
        return queues;
    }

    static Role hub() {
        return new Role(BrokerSecurity.HUB_ROLE, true, true, true, true, true, true, true, true, true, true);
    }

    /** Consume and browse an existing queue, nothing else. */
    static Role reader(String role) {
        return new Role(role, false, true, false, false, false, false, false, true, false, false);
    }

    /** Subscribe to a topic: consume and own (durable or not) subscription queues. */
    private static Role subscriber(String role) {
        return new Role(role, false, true, true, true, true, true, false, true, false, false);
    }

    @Bean
    ArtemisConfigurationCustomizer hubBrokerSettings(BrokerProperties broker, WebSocketOrigins origins, MeterRegistry meterRegistry,
                                                     @Value("${hub.webhook.inbound-queue}") String inboundQueue,
                                                     @Value("${hub.webhook.dead-letter-queue}") String deadLetterQueue,
                                                     @Value("${hub.webhook.message-group-buckets}") int messageGroupBuckets,
                                                     @Value("${hub.send.queue}") String sendQueue,
                                                     @Value("${hub.send.dead-letter-queue}") String sendDeadLetterQueue,
                                                     @Value("${hub.send.max-attempts}") int sendMaxAttempts,
                                                     @Value("${hub.send.retry-delay}") java.time.Duration sendRetryDelay,
                                                     @Value("${hub.send.max-retry-delay}") java.time.Duration sendMaxRetryDelay,
                                                     @Value("${hub.attachments.fetch-queue}") String attachmentQueue,
                                                     @Value("${hub.attachments.max-attempts}") int attachmentMaxAttempts,
                                                     @Value("${hub.attachments.retry-delay}") java.time.Duration attachmentRetryDelay,
                                                     @Value("${hub.attachments.max-retry-delay}") java.time.Duration attachmentMaxRetryDelay,
                                                     @Value("${hub.dispatch.offer-address-prefix}") String offerAddressPrefix,
                                                     @Value("${hub.dispatch.queue-notification-ttl}") java.time.Duration offerNotificationTtl) {
        return configuration -> {
            if (broker.tcpAcceptor() != null && !broker.tcpAcceptor().isBlank()) {
                addAcceptor(configuration, "agents", AcceptorUris.agents(broker.tcpAcceptor()), "hub.broker.tcp-acceptor");
            }
            if (broker.websocketAcceptor() != null && !broker.websocketAcceptor().isBlank()) {
                addAcceptor(configuration, "browsers", AcceptorUris.browsers(broker.websocketAcceptor()),
                        "hub.broker.websocket-acceptor");
                configuration.registerBrokerPlugin(new OriginCheck(origins));
            }
            configuration.addAddressSetting(inboundQueue, new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                    .setAutoCreateDeadLetterResources(false)
                    .setMaxDeliveryAttempts(broker.maxDeliveryAttempts() + INBOUND_SPARE_DELIVERIES)
                    .setRedeliveryDelay(broker.redeliveryDelay().toMillis())
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(broker.maxRedeliveryDelay().toMillis()));
            boundMessageGroups(configuration, inboundQueue, messageGroupBuckets);
            configuration.addAddressSetting(sendQueue, new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(sendDeadLetterQueue))
                    .setAutoCreateDeadLetterResources(false)
                    // The hub gives a reply up on its last attempt; the deliveries after it are for a give-up that
                    // was cut short (routes/facebook-send.camel.yaml), so the broker moves a reply only if all fail.
                    .setMaxDeliveryAttempts(sendMaxAttempts + SEND_GIVE_UP_TRIES)
                    .setRedeliveryDelay(sendRetryDelay.toMillis())
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(sendMaxRetryDelay.toMillis()));
            configuration.addAddressSetting(attachmentQueue, new AddressSettings()
                    .setMaxDeliveryAttempts(attachmentMaxAttempts + 1)
                    .setRedeliveryDelay(attachmentRetryDelay.toMillis())
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(attachmentMaxRetryDelay.toMillis()));
            // Queue-level offers are notifications for supervisors and pick-mode tools; agents get theirs in their
            // inboxes. Unread ones expire and are dropped (the expiry address has no queue), so they never pile up.
            configuration.addAddressSetting(offerAddressPrefix + "#", new AddressSettings()
                    .setExpiryDelay(offerNotificationTtl.toMillis())
                    .setExpiryAddress(SimpleString.of(offerAddressPrefix + "expired"))
                    .setAutoCreateExpiryResources(false));
            configuration.setMetricsConfiguration(new MetricsConfiguration()
                    // The JVM meters are Spring Boot's already; the broker adds only its own.
                    .setJvmMemory(false).setJvmGc(false).setJvmThread(false).setNettyPool(false)
                    .setPlugin(new SharedRegistry(meterRegistry)));
        };
    }

    /**
     * One customer's webhooks form a message group (routes/webhook.camel.yaml). Artemis would remember every group it
     * has seen for as long as the consumers live, one entry per customer there ever was; in {@code buckets} buckets of
     * customers instead. When a consumer joins, the buckets are shared out again once what was handed out is
     * acknowledged, so a customer's webhooks stay in order. Set on the queue itself, so that a broker whose journal
     * holds the queue from before takes it on its next start; deploy/artemis/broker.xml has the same.
     */
    static void boundMessageGroups(org.apache.activemq.artemis.core.config.Configuration configuration, String queue,
                                   int buckets) {
        if (buckets < 1) {
            throw new IllegalStateException("hub.webhook.message-group-buckets must be at least 1, not " + buckets);
        }
        QueueConfiguration inbound = configuration.getAddressConfigurations().stream()
                .flatMap(address -> address.getQueueConfigs().stream())
                .filter(candidate -> candidate.getName().toString().equals(queue))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("hub.webhook.inbound-queue " + queue
                        + " must be one of spring.artemis.embedded.queues"));
        inbound.setGroupBuckets(buckets).setGroupRebalance(true).setGroupRebalancePauseDispatch(true);
    }

    private static void addAcceptor(org.apache.activemq.artemis.core.config.Configuration configuration, String name,
                                    String uri, String property) {
        try {
            configuration.addAcceptorConfiguration(name, uri);
        } catch (Exception e) {
            throw new IllegalStateException(property + " is not a valid acceptor URI: " + uri, e);
        }
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
