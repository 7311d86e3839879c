package io.messengerhub.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** The webhook spine on the embedded default database, H2. */
class WebhookIngestionOnH2Test extends WebhookIngestionContract {

    @Autowired
    EmbeddedActiveMQ broker;

    /** What the groups do is shown on the shipped broker (InboundMessageGroupsTest); the embedded one is set alike. */
    @Test
    void shouldKeepTheEmbeddedBrokersMessageGroupsInBucketsSharedOutAgainWhenAConsumerJoins(
            @Value("${hub.webhook.inbound-queue}") String inbound,
            @Value("${hub.webhook.message-group-buckets}") int buckets) {
        var queue = broker.getActiveMQServer().locateQueue(SimpleString.of(inbound));

        assertThat(buckets).isEqualTo(1024);
        assertThat(queue.getGroupBuckets()).isEqualTo(buckets);
        assertThat(queue.isGroupRebalance()).isTrue();
        assertThat(queue.isGroupRebalancePauseDispatch()).isTrue();
    }
}
