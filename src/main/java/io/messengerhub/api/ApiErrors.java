package io.messengerhub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The HTTP API's error answers, written by the JSON library: {@link ApiError}, {@code {"error": code, "reason": text}}.
 * A reason may quote what the caller sent (a search parameter, an id), so it is never spliced into JSON text by hand,
 * and internals (exception classes, stack traces) never reach the caller.
 */
@Component("apiErrors")
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private final ObjectMapper json;

    public ApiErrors(ObjectMapper json) {
        this.json = json;
    }

    /** Answers the exchange's caught {@link ApiException} with its status, code and reason. */
    public void refuse(Exchange exchange) {
        var refusal = refusalIn(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        if (refusal.status() == 503) {
            LOG.warn("API request needs a system that did not answer: {}", refusal.getMessage());
        }
        answer(exchange, refusal.status(), refusal.error(), refusal.getMessage());
        if (refusal instanceof ApiUnauthorizedException unauthorized) {
            exchange.getMessage().setHeader("WWW-Authenticate", unauthorized.challenge());
        }
    }

    /** The refusal itself, also when Camel wrapped it (a bean called from an expression). */
    private static ApiException refusalIn(Throwable caught) {
        ApiException refusal = ObjectHelper.getException(ApiException.class, caught);
        if (refusal == null) {
            throw new IllegalStateException("the api-errors handler for refusals ran without one", caught);
        }
        return refusal;
    }

    /** Answers a request that failed for want of the hub's database with 503 and {@code Retry-After}. */
    public void databaseAway(Exchange exchange) {
        LOG.warn("API request failed, the hub's database does not answer: {}",
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
        answer(exchange, 503, "unavailable", "the hub's database does not answer, try again later");
        exchange.getMessage().setHeader("Retry-After", "5");
    }

    /** Answers an unexpected failure with 500 and nothing about it; the log has the details. */
    public void fail(Exchange exchange) {
        var failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("API request failed", failure);
        answer(exchange, 500, "internal", null);
    }

    /**
     * Makes the exchange's message the error answer: only the headers of the answer (the request's would otherwise go
     * back as response headers), the status, and the body, which is also returned.
     */
    public String answer(Exchange exchange, int status, String error, String reason) {
        var message = exchange.getMessage();
        String body = body(error, reason);
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body);
        return body;
    }

    /** The JSON of an error answer; also what the servlet filters in front of the API write. */
    public String body(String error, String reason) {
        try {
            return json.writeValueAsString(new ApiError(error, reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings could not be written as JSON", e);
        }
    }
}
