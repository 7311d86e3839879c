package io.messengerhub.browser;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import io.messengerhub.api.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves the agents' workspace, the static page in src/main/resources/static/workspace/, at /workspace/ to anybody:
 * the page holds nothing, and the agent logs in to the broker from it, not to the web server. A page that takes
 * passwords gets the headers for it: only its own scripts run and it talks only to the hub and the broker's
 * WebSocket (Content-Security-Policy), no other site may frame it, nothing is guessed from content, no URL leaks
 * in a Referer, and a new version is fetched after an upgrade.
 */
@Component
public class WorkspacePage extends OncePerRequestFilter {

    static final String PATH = "/workspace";

    private final BrokerWebSocket broker;

    public WorkspacePage(BrokerWebSocket broker) {
        this.broker = broker;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return !(path.equals(PATH) || path.startsWith(PATH + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RequestPaths.of(request);
        if (path.equals(PATH)) {
            // Relative URLs in the page (its script, settings.json) resolve against /workspace/.
            response.sendRedirect(PATH + "/");
            return;
        }
        List<String> brokerUrls = broker.urls(request.getServerName());
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' blob:; connect-src 'self'"
                + brokerUrls.stream().map(url -> " " + url).collect(Collectors.joining())
                + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        if (path.equals(PATH + "/")) {
            request.getRequestDispatcher(PATH + "/index.html").forward(request, response);
            return;
        }
        chain.doFilter(request, response);
    }
}
