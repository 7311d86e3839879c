package io.messengerhub.webhook;

import java.io.IOException;
import java.util.Locale;

import io.messengerhub.api.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses webhook deliveries that are not declared as JSON (415) before the HTTP binding sees them: a form
 * content type would make it parse and consume the body, and the signature must be checked over the raw bytes.
 * Facebook always sends {@code application/json}.
 */
@Component
public class WebhookContentTypeFilter extends OncePerRequestFilter {

    static final String WEBHOOK_PATH = "/webhooks/facebook";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !WEBHOOK_PATH.equals(RequestPaths.of(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
            response.setContentType("text/plain");
            response.getWriter().write("Content-Type must be application/json");
            return;
        }
        chain.doFilter(request, response);
    }
}
