package io.messengerhub.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The offer queue ({@code contact-center.offers.<queue>}) of an agent queue that routing rules put in force while the
 * hub runs name: the embedded broker gets it as {@link EmbeddedBrokerConfiguration} declares those of the start-up
 * configuration (anycast, durable, so supervisors can read it at once); a standalone broker has its queues in its
 * broker.xml, which the hub cannot change.
 */
@Component
public class OfferQueues {

    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final String prefix;

    public OfferQueues(ObjectProvider<EmbeddedActiveMQ> embedded,
                       @Value("${hub.dispatch.offer-address-prefix}") String prefix) {
        this.embedded = embedded;
        this.prefix = prefix;
    }

    /** Creates the offer queues of these agent queues that do not exist yet; answers the addresses it cannot create. */
    public List<String> declare(Collection<String> queues) throws Exception {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        List<String> notCreated = new ArrayList<>();
        for (String queue : queues) {
            String address = prefix + queue;
            if (broker == null) {
                notCreated.add(address);
            } else {
                broker.getActiveMQServer().createQueue(QueueConfiguration.of(address).setAddress(address)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(true), true);
            }
        }
        return notCreated;
    }
}
