package io.messengerhub.webhook;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.messengerhub.operations.ReadinessGate;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The webhook's own HTTP server: Vert.x on {@code hub.webhook.port}, in front of the routes that consume from
 * {@code webhook-http:} (WebhookHttpConfiguration). Facebook's webhook is the one request that comes in thousands a
 * second; here it costs no servlet container, no Spring MVC dispatch and no async hand-over (bench/README.md). The
 * API, the workspace and the actuator stay on {@code server.port}.
 *
 * <p>The guarantees of the servlet port hold here too, checked before a body is read (WebhookGuard): 503 until the
 * hub is ready, 429 past {@code hub.webhook.max-concurrent-per-client} requests of one address, 415 for a body that is
 * not declared as JSON, 413 for a declared length past {@code hub.webhook.max-body-bytes} (a longer chunked body is
 * cut off at the limit by the route's body handler), 408 when the body does not arrive within
 * {@code hub.http.body-read-timeout}. Event loops only read and write; the routes run on {@code hub.webhook.workers}
 * worker threads, each blocking in one durable send at a time.
 */
@Component
public class WebhookServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    /** Opens with the servlet web server: until the hub is ready, both answer 503. */
    private static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024;

    private final WebhookProperties webhook;
    private final Vertx vertx;
    private final Router router;
    private volatile HttpServer server;

    public WebhookServer(WebhookProperties webhook, ReadinessGate readiness,
                         @Value("${hub.http.body-read-timeout}") Duration bodyReadTimeout) {
        this.webhook = webhook;
        this.vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(webhook.workers()));
        this.router = Router.router(vertx);
        router.route().order(Integer.MIN_VALUE)
                .handler(new WebhookGuard(readiness, webhook.maxConcurrentPerClient(), bodyReadTimeout,
                        webhook.maxBodyBytes()));
    }

    Vertx vertx() {
        return vertx;
    }

    Router router() {
        return router;
    }

    /** The port it listens on: {@code hub.webhook.port}, or the one picked when that is 0. */
    public int port() {
        HttpServer listening = server;
        return listening == null ? webhook.port() : listening.actualPort();
    }

    @Override
    public void start() {
        HttpServer starting = vertx.createHttpServer(new HttpServerOptions()
                .setHost(webhook.bindAddress())
                .setPort(webhook.port())
                // HTTP/1.1 as Facebook sends it; no cleartext upgrade to HTTP/2 (h2c) that clients may ask for.
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(60)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
        try {
            server = starting.requestHandler(router).listen().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The webhook server could not listen on " + webhook.bindAddress() + ":"
                    + webhook.port() + " (hub.webhook.port): " + e.getMessage(), e);
        }
        LOG.info("Webhook server listening on {}:{} (Vert.x, {} workers)", webhook.bindAddress(), port(),
                webhook.workers());
    }

    @Override
    public void stop() {
        HttpServer listening = server;
        server = null;
        if (listening != null) {
            listening.close().toCompletionStage().toCompletableFuture().join();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
