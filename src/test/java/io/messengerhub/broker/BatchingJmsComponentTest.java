package io.messengerhub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A {@code jms-batch:} URI an operator got wrong fails when the route is built, saying what is wrong. */
class BatchingJmsComponentTest {

    @Test
    void shouldRefuseAnythingButAQueueAnUnknownOptionAndBatchesOfNothing() throws Exception {
        try (var camel = new DefaultCamelContext();
             var factory = new ActiveMQConnectionFactory("vm://0")) {
            camel.addComponent("jms-batch", new BatchingJmsComponent(factory));

            assertThatThrownBy(() -> camel.getEndpoint("jms-batch:topic:hub.events"))
                    .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("jms-batch:queue:NAME");
            assertThatThrownBy(() -> camel.getEndpoint("jms-batch:queue:"))
                    .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("jms-batch:queue:NAME");
            assertThatThrownBy(() -> camel.getEndpoint("jms-batch:queue:hub.webhook.inbound?batchsize=8"))
                    .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("batchsize");
            assertThatThrownBy(() -> camel.getEndpoint("jms-batch:queue:hub.webhook.inbound?batchSize=0"))
                    .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("at least 1");
            assertThat(camel.getEndpoint("jms-batch:queue:hub.webhook.inbound?concurrentConsumers=8&batchSize=16"))
                    .isNotNull();
            assertThatThrownBy(() -> camel.getEndpoint("jms-batch:queue:hub.webhook.inbound").createProducer())
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("send with jms:queue:hub.webhook.inbound");
        }
    }
}
