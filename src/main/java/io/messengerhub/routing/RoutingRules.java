package io.messengerhub.routing;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

/**
 * The routing rules in force: those of config/routing.yaml at start-up, replaced when the file changes and its new
 * rules passed their checks (operations.ConfigReload). Each routing decision reads them once, so a conversation is
 * routed by either the old or the new rules, never by a mix.
 */
@Component
public class RoutingRules {

    private final AtomicReference<RoutingProperties> inForce;

    public RoutingRules(RoutingProperties atStartUp) {
        this.inForce = new AtomicReference<>(atStartUp);
    }

    public RoutingProperties current() {
        return inForce.get();
    }

    /** Puts {@code next} in force for the next decision and answers the rules it replaced. */
    public RoutingProperties replace(RoutingProperties next) {
        return inForce.getAndSet(next);
    }
}
