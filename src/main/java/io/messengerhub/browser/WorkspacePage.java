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
 * Serves the agents' workspace, the static page in src/main/resources/static/workspace/, at /workspace/ to anybody,
 * and the supervisors' page (static/supervisor/) at /supervisor/: the pages hold nothing, and the agent or supervisor
 * logs in from them to the broker and, for supervisors, to /supervisor/api/ (not a page: left alone). A page that takes
 * passwords gets the headers for it: only its own scripts run and it talks only to the hub and the broker's
 * WebSocket (Content-Security-Policy), no other site may frame it, nothing is guessed from content, no URL leaks
 * in a Referer, and a new version is fetched after an upgrade.
 */
@Component
public class WorkspacePage extends OncePerRequestFilter {

    static final String PATH = "/workspace";
    static final String SUPERVISOR_PATH = "/supervisor";
    private static final List<String> PAGES = List.of(PATH, SUPERVISOR_PATH);

    private final BrokerWebSocket broker;

    public WorkspacePage(BrokerWebSocket broker) {
        this.broker = broker;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return page(path) == null || path.startsWith(SUPERVISOR_PATH + "/api/");
    }

    /** The page the path belongs to, or null. */
    private static String page(String path) {
        return PAGES.stream().filter(page -> path.equals(page) || path.startsWith(page + "/")).findFirst().orElse(null);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RequestPaths.of(request);
        String page = page(path);
        if (path.equals(page)) {
            // Relative URLs in the page (its script, settings.json) resolve against /workspace/ or /supervisor/.
            response.sendRedirect(page + "/");
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
        if (path.equals(page + "/")) {
            request.getRequestDispatcher(page + "/index.html").forward(request, response);
            return;
        }
        chain.doFilter(request, response);
    }
}
