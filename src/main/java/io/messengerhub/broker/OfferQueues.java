package io.messengerhub.broker;

import java.util.Collection;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The offer queue ({@code contact-center.offers.<queue>}) of an agent queue that the configuration names while the hub
 * runs: created on the broker, embedded or standalone, through its management API (anycast, durable, so supervisors
 * can read it at once; who may read it is the broker's setting for all offer queues, {@code contact-center.offers.#}),
 * as {@link EmbeddedBrokerConfiguration} and the standalone broker's broker.xml declare those known at start.
 */
@Component
public class OfferQueues {

    private final BrokerManagement broker;
    private final String prefix;

    public OfferQueues(BrokerManagement broker, @Value("${hub.dispatch.offer-address-prefix}") String prefix) {
        this.broker = broker;
        this.prefix = prefix;
    }

    /** Creates the offer queues of these agent queues that do not exist yet; says why when the broker refuses. */
    public void declare(Collection<String> queues) {
        queues.forEach(queue -> broker.createQueue(prefix + queue));
    }
}
