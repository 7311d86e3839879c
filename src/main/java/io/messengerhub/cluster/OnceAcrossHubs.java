package io.messengerhub.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The route policy of timer routes whose work must happen in one hub instance at a time ({@code routePolicy:
 * "#onceAcrossHubs"} in routes/): a tick runs only with the ShedLock lock named after the route id; while another
 * instance holds it, the tick ends without doing anything.
 *
 * <p>A run keeps its lock for at least four fifths of its timer's period (never longer than {@code
 * hub.cluster.lock-at-most-for}), so the instance that ran keeps running and the other instances' ticks in between
 * find the lock taken: about one run per period across all hubs rather than one per hub and period.
 *
 * <p>A plain {@link RoutePolicy}, not a {@code RoutePolicySupport}: Camel calls a policy that is a service only while
 * that service is running, and a tick must never run past a lock check that was skipped.
 */
@Component("onceAcrossHubs")
public class OnceAcrossHubs implements RoutePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(OnceAcrossHubs.class);

    private final LockProvider locks;
    private final ClusterProperties cluster;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    public OnceAcrossHubs(LockProvider locks, ClusterProperties cluster) {
        this.locks = locks;
        this.cluster = cluster;
    }

    private record Lease(Duration atMostFor, Duration atLeastFor) {
    }

    @Override
    public void onInit(Route route) {
        String id = route.getRouteId();
        Duration atMostFor = cluster.lockAtMostFor().get(id);
        if (atMostFor == null) {
            throw new IllegalStateException("route " + id + " runs once across hubs: set hub.cluster.lock-at-most-for." + id
                    + " (config/application.yaml)");
        }
        if (!(route.getEndpoint() instanceof TimerEndpoint timer)) {
            throw new IllegalStateException("route " + id + ": onceAcrossHubs is for routes that start from a timer");
        }
        Duration atLeastFor = Duration.ofMillis(timer.getPeriod() * 4 / 5);
        leases.put(id, new Lease(atMostFor, atLeastFor.compareTo(atMostFor) > 0 ? atMostFor : atLeastFor));
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        String id = route.getRouteId();
        Optional<SimpleLock> lock = lock(id);
        if (lock.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        // On completion of the unit of work rather than in onExchangeDone, which Camel skips while it stops: a run
        // that ends during shutdown must still release its lock.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    lock.get().unlock();
                } catch (RuntimeException e) {
                    LOG.warn("Route {} could not release its lock; other instances take over after hub.cluster.lock-at-most-for: {}",
                            id, e.getMessage());
                }
            }
        });
    }

    private Optional<SimpleLock> lock(String id) {
        Lease lease = leases.get(id);
        try {
            // Instant.now(), not the hub's Clock: the database's time decides (usingDbTime); this only has to be real.
            Optional<SimpleLock> lock = locks.lock(new LockConfiguration(Instant.now(), id, lease.atMostFor(), lease.atLeastFor()));
            if (lock.isEmpty()) {
                LOG.debug("Route {}: another hub instance runs it now", id);
            }
            return lock;
        } catch (RuntimeException e) {
            // Without the lock nobody can say that no other instance runs it: skip this tick.
            LOG.warn("Route {} skips this run, its lock could not be taken: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void onRemove(Route route) {
        leases.remove(route.getRouteId());
    }

    @Override
    public void onStart(Route route) {
    }

    @Override
    public void onStop(Route route) {
    }

    @Override
    public void onSuspend(Route route) {
    }

    @Override
    public void onResume(Route route) {
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
    }
}
