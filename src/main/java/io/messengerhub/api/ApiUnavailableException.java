package io.messengerhub.api;

/** A system the command needs (the CRM) did not answer; answered 503 so the caller tries again. */
public class ApiUnavailableException extends RuntimeException {

    public ApiUnavailableException(String reason) {
        super(reason);
    }
}
