package io.messengerhub.customer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Calls an integration route (CRM, Graph API) with a deadline. The route may be replaced by an integration team
 * with anything Camel can reach; whatever it does, the caller waits at most the given time.
 */
@Component
public class RouteCalls {

    private final ProducerTemplate routes;

    public RouteCalls(ProducerTemplate routes) {
        this.routes = routes;
    }

    /** The exchange after the route, or an exception saying why there is none (timeout, route failure). */
    public Exchange call(String endpoint, Map<String, Object> headers, Duration timeout) throws RouteCallException {
        var future = routes.asyncSend(endpoint, exchange -> exchange.getIn().setHeaders(new java.util.HashMap<>(headers)));
        Exchange result;
        try {
            result = future.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RouteCallException("timeout after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new RouteCallException(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouteCallException("interrupted");
        }
        if (result.getException() != null) {
            throw new RouteCallException(result.getException().getClass().getSimpleName() + ": " + result.getException().getMessage());
        }
        return result;
    }

    /** A route call that gave no answer. */
    public static class RouteCallException extends Exception {
        public RouteCallException(String reason) {
            super(reason);
        }
    }
}
