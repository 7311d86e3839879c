package io.messengerhub.webhook;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Camel side of the webhook server, what {@code camel-platform-http-vertx}'s Spring Boot starter would set up
 * (it is not used: it would also take the API's {@code platform-http} component): a {@code platform-http} component
 * named {@code webhook-http} whose engine is Camel's Vert.x engine on {@link WebhookServer}'s router. Routes consume
 * from {@code webhook-http:/path}; {@code platform-http:} stays the servlet engine of the API and the workspace.
 */
@Configuration(proxyBeanMethods = false)
class WebhookHttpConfiguration {

    /** The component's name, the scheme of the webhook routes' endpoints. */
    static final String COMPONENT = "webhook-http";

    /** The name the engine's consumers look the router up by. */
    static final String ROUTER = "webhook-http-router";

    @Bean(ROUTER)
    VertxPlatformHttpRouter webhookHttpRouter(WebhookServer server, WebhookProperties webhook) {
        return new VertxPlatformHttpRouter(null, server.vertx(), server.router(), ROUTER) {
            @Override
            public Handler<RoutingContext> bodyHandler() {
                // Reads the body into memory up to the limit and answers 413 past it; no form or file parsing.
                return BodyHandler.create(false).setBodyLimit(webhook.maxBodyBytes()).setMergeFormAttributes(false);
            }
        };
    }

    @Bean(COMPONENT)
    PlatformHttpComponent webhookHttp(WebhookServer server, WebhookProperties webhook) {
        var component = new PlatformHttpComponent();
        component.setEngine(new Engine(server));
        // A send the broker blocks (its disk full) is answered 503 after this, inside Facebook's 20 s.
        component.setRequestTimeout(webhook.requestTimeout());
        return component;
    }

    /** Camel's Vert.x engine, for this router only. */
    private static final class Engine extends VertxPlatformHttpEngine {

        private final WebhookServer server;

        Engine(WebhookServer server) {
            this.server = server;
        }

        /** The base class registers itself as the context's one platform-http engine, the API's; not this one. */
        @Override
        protected void doInit() {
        }

        @Override
        public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            return new VertxPlatformHttpConsumer(endpoint, processor, getHandlers(), ROUTER);
        }

        @Override
        public int getServerPort() {
            return server.port();
        }
    }
}
