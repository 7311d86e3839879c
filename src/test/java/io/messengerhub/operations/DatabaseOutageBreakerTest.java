package io.messengerhub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The breaker of a route whose consumers fail at the same moment because the database went away: the route
 * pauses once, and resumes once the database answers again. (Camel's policy alone opened twice and then never checked
 * again, leaving the route paused for good.)
 */
class DatabaseOutageBreakerTest {

    /** Consumers failing at the same moment, as a route's JMS consumers do when the database goes. */
    private static final int CONSUMERS = 16;

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void shouldResumeARouteWhoseConsumersFailedTogetherOnceTheDatabaseAnswers() throws Exception {
        var databaseUp = new AtomicBoolean(false);
        var allFailing = new CyclicBarrier(CONSUMERS);
        List<String> recorded = new CopyOnWriteArrayList<>();
        var breaker = new DatabaseOutageBreaker.Breaker("recording", Duration.ofMillis(200), databaseUp::get);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("seda:events?concurrentConsumers=" + CONSUMERS).routeId("recording").routePolicy(breaker)
                        .process(exchange -> {
                            if (!databaseUp.get()) {
                                allFailing.await(5, TimeUnit.SECONDS);
                                throw new DataAccessResourceFailureException("Connection refused");
                            }
                            recorded.add(exchange.getMessage().getBody(String.class));
                        });
            }
        });
        camel.start();
        ProducerTemplate events = camel.createProducerTemplate();

        for (int i = 0; i < CONSUMERS; i++) {
            events.sendBody("seda:events", "lost-" + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(breaker::paused);
        assertThat(ServiceHelper.isSuspended(camel.getRoute("recording").getConsumer())).isTrue();
        events.sendBody("seda:events", "waits-1");
        events.sendBody("seda:events", "waits-2");
        Thread.sleep(600);
        assertThat(recorded).isEmpty();

        databaseUp.set(true);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> recorded.size() == 2);
        assertThat(recorded).containsExactlyInAnyOrder("waits-1", "waits-2");
        assertThat(breaker.paused()).isFalse();
        assertThat(ServiceHelper.isSuspended(camel.getRoute("recording").getConsumer())).isFalse();
    }
}
