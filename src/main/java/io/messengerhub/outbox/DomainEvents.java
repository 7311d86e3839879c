package io.messengerhub.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Records domain events: runs the event's relay route in {@code routes/events.camel.yaml} on the caller's thread, so
 * its {@code outbox:} steps write their messages in the caller's database transaction and its actions (withdrawing
 * offers, cancelling retries, ...) are part of the same decision. The messages are sent once it commits
 * ({@link Outbox}); a route that fails rolls the decision back.
 */
@Component("domainEvents")
public class DomainEvents {

    /** The exchange variable that holds the event while its route runs. */
    public static final String EVENT = "event";

    private static final String RELAY_PREFIX = "direct:";

    private final ProducerTemplate routes;
    private final Map<Class<?>, Endpoint> relays = new ConcurrentHashMap<>();

    public DomainEvents(@Lazy ProducerTemplate routes) {
        this.routes = routes;
    }

    public void record(DomainEvent event) {
        Endpoint relay = relays.computeIfAbsent(event.getClass(),
                type -> routes.getCamelContext().getEndpoint(RELAY_PREFIX + type.getSimpleName()));
        Exchange done = routes.send(relay, exchange -> {
            exchange.getIn().setBody(event);
            exchange.setVariable(EVENT, event);
        });
        Exception failure = done.getException();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IllegalStateException("relaying " + event.getClass().getSimpleName() + " failed", failure);
        }
    }

    /**
     * Whether a route starting at this endpoint relays a domain event: {@code direct:<SimpleName>}, the name of an
     * event type (capitalised, as Java names types), where the hub's other {@code direct:} routes have lower-case
     * names ({@code direct:crm-find-contact}).
     */
    public static boolean isRelay(String endpointUri) {
        if (endpointUri == null || !endpointUri.startsWith(RELAY_PREFIX)) {
            return false;
        }
        String name = endpointUri.substring(RELAY_PREFIX.length());
        return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
    }
}
