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
 * Refuses, before the HTTP binding sees them, API requests that carry credentials in the URL (400) or a URL-encoded
 * form body (415). Tokens in URLs end up in logs and browser histories, and the binding turns query parameters into
 * headers, so {@code ?Authorization=Bearer...} would otherwise authenticate; the refusal holds for every path under
 * /api/, /admin/ and /supervisor/api/, the OpenAPI document and paths no route serves too. A form is refused here rather than by the REST DSL's
 * Content-Type check because the platform-http binding parses it into headers before any route runs, and fails with a
 * bare 500 on a body that is not name=value pairs (JSON sent with {@code curl -d}, whose default is a form). Every
 * other Content-Type, a multipart form included, Camel checks against the REST DSL declaration
 * ({@link ApiRequestValidator}).
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
        String path = RequestPaths.of(request);
        return !path.startsWith("/api/") && !path.startsWith("/admin/") && !path.startsWith("/supervisor/api/");
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
        if (!"GET".equals(request.getMethod()) && contentType.startsWith("application/x-www-form-urlencoded")) {
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
