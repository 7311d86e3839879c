package io.messengerhub.api;

/** A system the command needs (the CRM) did not answer; answered 503 so the caller tries again. */
public class ApiUnavailableException extends ApiException {

    public ApiUnavailableException(String reason) {
        super(503, "unavailable", reason);
    }
}
