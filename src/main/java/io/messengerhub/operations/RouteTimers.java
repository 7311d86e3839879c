package io.messengerhub.operations;

import io.messengerhub.outbox.DomainEvents;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.springframework.stereotype.Component;

/**
 * The per-route timers and exchange counters of {@code /actuator/prometheus} ({@code camel_route_policy_seconds},
 * {@code camel_exchanges_*}, tag {@code routeId}): for every route except the relay routes of domain events
 * ({@code routes/events.camel.yaml}, {@code from: direct:<Event>}).
 * <p>
 * A relay route runs inside the route whose decision recorded the event ({@code webhook-process}, an agent's
 * command, a timer), and its time is part of that route's. Timed again, two or three of them per webhook, the timers
 * took a twelfth of the processing consumers' CPU (bench/README.md, "Issue 14, session 17"). Nor is there a
 * context-wide timer: it counted every route's exchange once more, a relay's included. Camel's own factory, which
 * {@code camel.metrics.enable-route-policy} would add for every route, is switched off in application.yaml.
 */
@Component
public class RouteTimers extends MicrometerRoutePolicyFactory {

    public RouteTimers(MeterRegistry meters) {
        setMeterRegistry(meters);
        var perRoute = new MicrometerRoutePolicyConfiguration();
        perRoute.setContextEnabled(false);
        perRoute.setRouteEnabled(true);
        setPolicyConfiguration(perRoute);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (route instanceof RouteDefinition definition && definition.getInput() != null
                && DomainEvents.isRelay(definition.getInput().getEndpointUri())) {
            return null;
        }
        if (getCamelContext() == null) {
            setCamelContext(camelContext);
        }
        return super.createRoutePolicy(camelContext, routeId, route);
    }
}
