package io.messengerhub.operations;

import java.io.IOException;
import java.util.Set;

import io.messengerhub.api.ApiErrors;
import io.messengerhub.api.BearerTokens;
import io.messengerhub.api.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the actuator (health details, metrics, info) for operators: a bearer token from {@code hub.operations.tokens}
 * ({@code HUB_OPERATOR_TOKENS}) in the Authorization header. Only the liveness and readiness probes answer anyone,
 * with nothing but their status, for load balancers and orchestrators.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class OperatorAccessFilter extends OncePerRequestFilter {

    static final Set<String> PUBLIC_PROBES = Set.of("/actuator/health/liveness", "/actuator/health/readiness");

    private final BearerTokens tokens;
    private final ApiErrors errors;

    public OperatorAccessFilter(@Value("${hub.operations.tokens:}") String configured, ApiErrors errors) {
        this.tokens = new BearerTokens(configured);
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return !(path.equals("/actuator") || path.startsWith("/actuator/")) || PUBLIC_PROBES.contains(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!tokens.accepts(request.getHeader("Authorization"))) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"operators\"");
            response.setContentType("application/json");
            response.getWriter().write(errors.body("unauthorized", "an operator token is required (HUB_OPERATOR_TOKENS); "
                    + "/actuator/health/liveness and /actuator/health/readiness are public"));
            return;
        }
        chain.doFilter(request, response);
    }
}
