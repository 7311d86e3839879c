package io.messengerhub.broker;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The embedded broker's network acceptors as Artemis URIs: the operator chooses host, port and TLS parameters, the
 * hub adds what its protocol documentation relies on.
 */
final class AcceptorUris {

    /** What browsers rely on (docs/agent-protocol.md): STOMP, its destination prefixes, text WebSocket frames. */
    static final Map<String, String> BROWSERS = browsers();

    private AcceptorUris() {
    }

    /**
     * Agents' clients speak CORE ({@code AgentClient}). Without a protocols parameter Artemis would accept every
     * protocol on the class path, STOMP included, so the agents' port stays CORE unless the operator says otherwise.
     */
    static String agents(String uri) {
        return names(uri, "protocols") ? uri : append(uri, Map.of("protocols", "CORE"));
    }

    /** STOMP over WebSocket (the acceptor takes the upgrade on the same port) with the prefixes browsers use. */
    static String browsers(String uri) {
        for (String fixed : BROWSERS.keySet()) {
            if (names(uri, fixed)) {
                throw new IllegalStateException("hub.broker.websocket-acceptor must not set " + fixed
                        + ": the hub sets it (" + fixed + "=" + BROWSERS.get(fixed) + ")");
            }
        }
        return append(uri, BROWSERS);
    }

    private static Map<String, String> browsers() {
        var fixed = new LinkedHashMap<String, String>();
        fixed.put("protocols", "STOMP");
        // Without them a STOMP destination has no routing type: subscribing to a topic would need the right to
        // create addresses, and a queue's address would get a multicast routing type added on first use.
        fixed.put("anycastPrefix", BrokerAddresses.STOMP_QUEUE_PREFIX);
        fixed.put("multicastPrefix", BrokerAddresses.STOMP_TOPIC_PREFIX);
        // Every message an agent's inbox gets is JSON text; text frames are what browsers' STOMP clients expect.
        fixed.put("webSocketEncoderType", "text");
        return Collections.unmodifiableMap(fixed);
    }

    private static boolean names(String uri, String parameter) {
        String query = URI.create(uri).getRawQuery();
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (name.toLowerCase(Locale.ROOT).equals(parameter.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static String append(String uri, Map<String, String> parameters) {
        String added = parameters.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining("&"));
        return uri + (uri.contains("?") ? "&" : "?") + added;
    }
}
