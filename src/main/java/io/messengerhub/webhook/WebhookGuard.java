package io.messengerhub.webhook;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.messengerhub.operations.ReadinessGate;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the webhook server checks before a request reaches a route, on the event loop and before the body is read:
 * the refusals the servlet port makes with ClientLimits and ReadinessGate, and 415 for a body not declared as JSON
 * (a form body would otherwise be parsed as parameters). Vert.x holds the body back until the route's body handler
 * asks for it.
 */
final class WebhookGuard implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookGuard.class);

    /** The most of a refused body that is read (and thrown away) before the connection is closed, as Tomcat does. */
    private static final long DISCARD_AT_MOST = 2 * 1024 * 1024;

    private final ReadinessGate readiness;
    private final int maxConcurrentPerClient;
    private final Duration bodyReadTimeout;
    private final long maxBodyBytes;
    private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    WebhookGuard(ReadinessGate readiness, int maxConcurrentPerClient, Duration bodyReadTimeout, long maxBodyBytes) {
        this.readiness = readiness;
        this.maxConcurrentPerClient = maxConcurrentPerClient;
        this.bodyReadTimeout = bodyReadTimeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String client = client(ctx);
        AtomicInteger count = inProgress.computeIfAbsent(client, key -> new AtomicInteger());
        count.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true) && count.decrementAndGet() <= 0) {
                inProgress.remove(client, count);
            }
        };
        // Called when the answer is written, and also when the connection breaks before that.
        ctx.addEndHandler(done -> release.run());
        if (count.get() > maxConcurrentPerClient) {
            LOG.warn("Refused a request from {}: it has {} requests in progress already", client,
                    maxConcurrentPerClient);
            refuse(ctx, 429, "too many requests in progress from this client, send again later");
            return;
        }
        Optional<Boolean> ready = readiness.readyIfKnown();
        if (ready.isPresent()) {
            admitIfReady(ctx, ready.get());
        } else {
            // Asking the readiness group touches the broker and may take a while: not on the event loop. The body
            // and the request's end wait meanwhile (the body handler resumes the request).
            request.pause();
            ctx.vertx().executeBlocking(readiness::ready, false)
                    .onComplete(asked -> admitIfReady(ctx, asked.succeeded() && asked.result()));
        }
    }

    private void admitIfReady(RoutingContext ctx, boolean ready) {
        if (!ready) {
            refuse(ctx, 503, "not ready, send again later");
            return;
        }
        HttpServerRequest request = ctx.request();
        if (request.method() == HttpMethod.POST) {
            String contentType = request.getHeader("Content-Type");
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                refuse(ctx, 415, "Content-Type must be application/json");
                return;
            }
            String length = request.getHeader("Content-Length");
            if (length != null && declaredTooLong(length)) {
                refuse(ctx, 413, "body larger than " + maxBodyBytes + " bytes");
                return;
            }
            if (!request.isEnded()) {
                long timer = ctx.vertx().setTimer(bodyReadTimeout.toMillis(),
                        fired -> cutOffIfStillReading(ctx, client(ctx)));
                ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
            }
        }
        ctx.next();
    }

    private boolean declaredTooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private void cutOffIfStillReading(RoutingContext ctx, String client) {
        if (ctx.request().isEnded() || ctx.response().ended()) {
            return;
        }
        LOG.warn("Cut off {} {} from {}: its body did not arrive within {}", ctx.request().method(),
                ctx.request().path(), client, bodyReadTimeout);
        ctx.response().putHeader("Connection", "close");
        answer(ctx, 408, "the body did not arrive within " + bodyReadTimeout.toSeconds() + " s")
                .onComplete(written -> ctx.request().connection().close());
    }

    private static String client(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }

    /**
     * Answers the refusal at once. A body still on its way is read and thrown away, so that the client gets to read
     * the answer and the connection can take its next request; past {@link #DISCARD_AT_MOST} the connection is closed.
     */
    private static void refuse(RoutingContext ctx, int status, String reason) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            var discarded = new AtomicLong();
            request.handler(chunk -> {
                if (discarded.addAndGet(chunk.length()) > DISCARD_AT_MOST) {
                    request.connection().close();
                }
            });
            request.resume();
        }
        answer(ctx, status, reason);
    }

    private static Future<Void> answer(RoutingContext ctx, int status, String reason) {
        if (ctx.response().ended()) {
            return Future.succeededFuture();
        }
        if (status == 429) {
            ctx.response().putHeader("Retry-After", "1");
        } else if (status == 503) {
            ctx.response().putHeader("Retry-After", "5");
        }
        return ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain").end(reason);
    }
}
