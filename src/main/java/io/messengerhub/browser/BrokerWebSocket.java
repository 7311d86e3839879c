package io.messengerhub.browser;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import io.messengerhub.broker.BrokerAddresses;
import io.messengerhub.broker.BrokerProperties;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Where a browser reaches the broker's STOMP over WebSocket acceptor and what it names there: the agent protocol of
 * docs/asyncapi.yaml, with the acceptor's destination prefixes. The workspace page asks for it at
 * /workspace/settings.json, the supervisor page at /supervisor/settings.json, so they hold no host, port or queue
 * name of their own.
 */
@Component("brokerWebSocket")
public class BrokerWebSocket {

    private final List<String> configuredUrls;
    private final URI acceptor;
    private final BrokerAddresses addresses;
    private final String eventsTopic;

    public BrokerWebSocket(BrokerProperties broker, BrokerAddresses addresses,
                           @org.springframework.beans.factory.annotation.Value("${hub.integration.events-topic}") String eventsTopic) {
        this.eventsTopic = eventsTopic;
        this.configuredUrls = broker.websocketUrl() == null ? List.of()
                : Arrays.stream(broker.websocketUrl().split(",")).map(String::strip).filter(url -> !url.isEmpty()).toList();
        String acceptorUri = broker.websocketAcceptor() == null || broker.websocketAcceptor().isBlank() ? null
                : broker.websocketAcceptor().strip();
        this.acceptor = acceptorUri == null ? null : URI.create(acceptorUri);
        this.addresses = addresses;
    }

    /**
     * What the workspace page needs to log in: {@code brokerUrls}, the broker's WebSocket URLs in the order to try
     * them (a live broker, then its backup), empty when browsers have no way in; {@code brokerUrl} the first of them.
     */
    public record Settings(String brokerUrl, List<String> brokerUrls, String inboxPrefix, String commands, String files) {
    }

    public Settings settings(@Header(Exchange.HTTP_URL) String pageUrl) {
        List<String> urls = urls(URI.create(pageUrl).getHost());
        return new Settings(urls.isEmpty() ? null : urls.get(0), urls, BrokerAddresses.STOMP_QUEUE_PREFIX + addresses.inbox(""),
                BrokerAddresses.STOMP_QUEUE_PREFIX + addresses.commands(), BrokerAddresses.STOMP_QUEUE_PREFIX + addresses.files());
    }

    /** What the supervisor page needs: the broker's WebSocket URLs, as for agents, and the events topic to follow. */
    public record SupervisorSettings(List<String> brokerUrls, String events) {
    }

    public SupervisorSettings supervisorSettings(@Header(Exchange.HTTP_URL) String pageUrl) {
        return new SupervisorSettings(urls(URI.create(pageUrl).getHost()), BrokerAddresses.STOMP_TOPIC_PREFIX + eventsTopic);
    }

    /**
     * The URLs for a page loaded from this host: {@code hub.broker.websocket-url} (a comma-separated list: the live
     * broker's, then its backup's), or else the acceptor's port on the host the browser already reaches the hub by
     * (the acceptor itself is usually bound to an address of the machine, not to a name a browser knows).
     */
    public List<String> urls(String pageHost) {
        if (!configuredUrls.isEmpty()) {
            return configuredUrls;
        }
        if (acceptor == null || pageHost == null) {
            return List.of();
        }
        String scheme = String.valueOf(acceptor.getQuery()).contains("sslEnabled=true") ? "wss" : "ws";
        String host = pageHost.contains(":") && !pageHost.startsWith("[") ? "[" + pageHost + "]" : pageHost;
        return List.of(scheme + "://" + host + ":" + acceptor.getPort());
    }
}
