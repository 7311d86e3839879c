package io.messengerhub.browser;

import java.net.URI;

import io.messengerhub.broker.BrokerAddresses;
import io.messengerhub.broker.BrokerProperties;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Where a browser reaches the broker's STOMP over WebSocket acceptor and what it names there: the agent protocol of
 * docs/asyncapi.yaml, with the acceptor's destination prefixes. The workspace page asks for it at
 * /workspace/settings.json, so it holds no host, port or queue name of its own.
 */
@Component("brokerWebSocket")
public class BrokerWebSocket {

    private final String configuredUrl;
    private final URI acceptor;
    private final BrokerAddresses addresses;

    public BrokerWebSocket(BrokerProperties broker, BrokerAddresses addresses) {
        this.configuredUrl = blankToNull(broker.websocketUrl());
        String acceptorUri = blankToNull(broker.websocketAcceptor());
        this.acceptor = acceptorUri == null ? null : URI.create(acceptorUri);
        this.addresses = addresses;
    }

    /** What the workspace page needs to log in; {@code brokerUrl} null when browsers have no way in. */
    public record Settings(String brokerUrl, String inboxPrefix, String commands, String files) {
    }

    public Settings settings(@Header(Exchange.HTTP_URL) String pageUrl) {
        return new Settings(url(URI.create(pageUrl).getHost()), BrokerAddresses.STOMP_QUEUE_PREFIX + addresses.inbox(""),
                BrokerAddresses.STOMP_QUEUE_PREFIX + addresses.commands(), BrokerAddresses.STOMP_QUEUE_PREFIX + addresses.files());
    }

    /**
     * The URL for a page loaded from this host: {@code hub.broker.websocket-url}, or else the acceptor's port on the
     * host the browser already reaches the hub by (the acceptor itself is usually bound to an address of the machine,
     * not to a name a browser knows).
     */
    public String url(String pageHost) {
        if (configuredUrl != null) {
            return configuredUrl;
        }
        if (acceptor == null || pageHost == null) {
            return null;
        }
        String scheme = String.valueOf(acceptor.getQuery()).contains("sslEnabled=true") ? "wss" : "ws";
        String host = pageHost.contains(":") && !pageHost.startsWith("[") ? "[" + pageHost + "]" : pageHost;
        return scheme + "://" + host + ":" + acceptor.getPort();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
