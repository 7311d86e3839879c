package io.messengerhub.broker;

import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.HttpHeaderNames;
import org.apache.activemq.artemis.core.protocol.stomp.ActiveMQStompException;
import org.apache.activemq.artemis.core.protocol.stomp.StompConnection;
import org.apache.activemq.artemis.core.protocol.stomp.StompFrame;
import org.apache.activemq.artemis.core.protocol.stomp.StompFrameInterceptor;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerBasePlugin;
import org.apache.activemq.artemis.core.server.protocol.websocket.WebSocketServerHandler;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every STOMP frame that came over a WebSocket whose handshake named a page ({@code Origin}) that
 * {@link WebSocketOrigins} does not allow: the client gets an ERROR frame and the connection is closed. Artemis 2.40
 * checks no Origin itself (its acceptors have no allowed-origins setting), so the check sits where the broker hands
 * STOMP frames to interceptors, before the CONNECT frame's login is looked at: a foreign page can neither log in nor
 * lock agents out with wrong passwords. Installs itself as an interceptor when the broker starts, before the
 * acceptors open.
 */
final class OriginCheck implements StompFrameInterceptor, ActiveMQServerBasePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(OriginCheck.class);

    private final WebSocketOrigins origins;

    OriginCheck(WebSocketOrigins origins) {
        this.origins = origins;
    }

    @Override
    public void registered(ActiveMQServer server) {
        server.getRemotingService().addIncomingInterceptor(this);
    }

    @Override
    public boolean intercept(StompFrame frame, RemotingConnection connection) {
        String origin = handshakeOrigin(connection);
        if (origins.allows(origin)) {
            return true;
        }
        LOG.warn("Refused STOMP over WebSocket from {}: the page {} is not an allowed origin (allowed: {}, "
                + "hub.broker.websocket-allowed-origins)", connection.getRemoteAddress(), origin, origins.allowed());
        StompConnection stomp = (StompConnection) connection;
        // Destroying the STOMP connection alone does not always close its WebSocket: close the transport too, once the
        // ERROR frame is written; and whatever happens to that write, the channel closes within a second.
        stomp.sendFrame(new ActiveMQStompException(stomp, "origin not allowed: " + origin).getFrame(), () -> {
            try {
                stomp.destroy();
            } finally {
                connection.getTransportConnection().close();
            }
        });
        if (connection.getTransportConnection() instanceof NettyConnection netty) {
            netty.getChannel().eventLoop().schedule(() -> netty.getChannel().close(), 1, TimeUnit.SECONDS);
        }
        return false;
    }

    /** The Origin of the WebSocket handshake the connection began with; null for plain TCP or no Origin. */
    private static String handshakeOrigin(RemotingConnection connection) {
        if (!(connection.getTransportConnection() instanceof NettyConnection netty)) {
            return null;
        }
        WebSocketServerHandler webSocket = netty.getChannel().pipeline().get(WebSocketServerHandler.class);
        if (webSocket == null || webSocket.getHttpRequest() == null) {
            return null;
        }
        return webSocket.getHttpRequest().headers().get(HttpHeaderNames.ORIGIN);
    }
}
