package io.messengerhub.operations;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.messengerhub.api.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with {@code Retry-After} to every request but the actuator's until the hub is ready: its database
 * brought up to date and its routes started (Spring Boot reports readiness only after both, DatabaseStartup), and its
 * broker reachable (the {@code readiness} health group). The database is not part of readiness once the hub runs: a
 * webhook needs only the broker, and processing waits for the database by itself (DatabaseOutageBreaker). The web
 * server opens a moment before the routes exist; without this gate a webhook sent in that moment got 404 or 405.
 * Facebook sends a webhook answered 503 again.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ReadinessGate extends OncePerRequestFilter {

    /** How long one look at the readiness group is trusted: the checks touch the database and the broker. */
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final ApplicationAvailability availability;
    private final HealthEndpoint health;
    private final Clock clock;
    private final AtomicReference<Check> last = new AtomicReference<>(new Check(Instant.MIN, false));
    private final AtomicBoolean asking = new AtomicBoolean();

    public ReadinessGate(ApplicationAvailability availability, HealthEndpoint health, Clock clock) {
        this.availability = availability;
        this.health = health;
        this.clock = clock;
    }

    private record Check(Instant at, boolean ready) {
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return RequestPaths.of(request).startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!ready()) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            response.setContentType("text/plain");
            response.getWriter().write("not ready, send again later");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The answer {@link #ready()} would give without asking the readiness group; empty when it has to ask (the last
     * look is older than a second, or there was none), which may block. Never blocks itself: for event loops.
     */
    public Optional<Boolean> readyIfKnown() {
        if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
            return Optional.of(false);
        }
        Check check = last.get();
        boolean fresh = check.at().plus(CHECK_EVERY).isAfter(clock.instant());
        if (fresh || (check.at() != Instant.MIN && asking.get())) {
            return Optional.of(check.ready());
        }
        return Optional.empty();
    }

    /**
     * Whether the hub takes traffic; the readiness group is asked again at most once a second, by one request at a
     * time: while it asks (a broker that does not answer can take seconds), the others go by the last answer.
     */
    public boolean ready() {
        Optional<Boolean> known = readyIfKnown();
        if (known.isPresent()) {
            return known.get();
        }
        Check check = last.get();
        if (check.at() == Instant.MIN || asking.compareAndSet(false, true)) {
            try {
                HealthComponent readiness = health.healthForPath("readiness");
                check = new Check(clock.instant(), readiness != null && Status.UP.equals(readiness.getStatus()));
                last.set(check);
            } finally {
                asking.set(false);
            }
        }
        return check.ready();
    }
}
