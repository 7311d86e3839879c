package io.messengerhub.api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before the HTTP binding sees them, API requests that carry credentials in the URL (400) or a form body
 * (415). The binding turns query parameters into headers, so {@code ?Authorization=Bearer...} would otherwise
 * authenticate, and tokens in URLs end up in logs and browser histories. A form (what {@code curl -d} sends
 * unless told otherwise) would be parsed by the binding and fail with an unclear error; the API takes JSON.
 */
@Component
public class ApiRequestFilter extends OncePerRequestFilter {

    /** Query parameters that would be taken for credentials. */
    private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("authorization", "access_token");

    private final ApiErrors errors;

    public ApiRequestFilter(ApiErrors errors) {
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.of(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (carriesCredentials(request.getQueryString())) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "bad_request",
                    "credentials are accepted only in the Authorization header, never in the URL");
            return;
        }
        String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (!"GET".equals(request.getMethod()) && (contentType.startsWith("application/x-www-form-urlencoded")
                || contentType.startsWith("multipart/form-data"))) {
            refuse(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "send the body as JSON with Content-Type: application/json");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Looks at the query string only: asking the request for its parameters would parse a form body. */
    private static boolean carriesCredentials(String query) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // Not decodable: compare it as it is.
            }
            if (CREDENTIAL_PARAMETERS.contains(name.trim().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private void refuse(HttpServletResponse response, int status, String error, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write(errors.body(error, reason));
    }
}
