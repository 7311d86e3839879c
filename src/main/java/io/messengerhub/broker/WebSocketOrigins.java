package io.messengerhub.broker;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The pages that may open the broker's WebSocket acceptor: the hub's own ({@code http://localhost:<port>} and
 * {@code http://127.0.0.1:<port>} of its web server, where /workspace/ is served) and
 * {@code hub.broker.websocket-allowed-origins}. A browser names the page that opens a WebSocket in the handshake's
 * {@code Origin}; without this check any web site an agent visits could talk to the broker through the agent's
 * browser. A client that is not a browser sends no Origin and is let through: it could claim any Origin anyway,
 * and it must log in like everybody.
 */
@Component
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class WebSocketOrigins {

    private final Set<String> configured;
    private volatile Set<String> own;

    public WebSocketOrigins(BrokerProperties broker, @Value("${server.port:8080}") int port) {
        this.configured = broker.websocketAllowedOrigins().stream().map(WebSocketOrigins::normal)
                .filter(origin -> !origin.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.own = ownOrigins(port);
    }

    /** The configured port may be 0 (any free one); the page is served from the one the web server really got. */
    @EventListener
    void webServerStarted(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            own = ownOrigins(event.getWebServer().getPort());
        }
    }

    /** Whether a WebSocket handshake that named this page (null: none) may go on. */
    public boolean allows(String origin) {
        if (origin == null) {
            return true;
        }
        String page = normal(origin);
        return own.contains(page) || configured.contains(page);
    }

    /** Everything allowed now, for the log and the documentation of a refusal. */
    public List<String> allowed() {
        return Stream.concat(own.stream(), configured.stream()).sorted().toList();
    }

    private static Set<String> ownOrigins(int port) {
        return Set.of("http://localhost:" + port, "http://127.0.0.1:" + port);
    }

    /** Origins compare without case and without a trailing slash, as operators may write them. */
    private static String normal(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
