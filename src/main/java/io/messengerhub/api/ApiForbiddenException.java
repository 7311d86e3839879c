package io.messengerhub.api;

/** A caller who logged in, but whose role may not do this; answered 403. */
public class ApiForbiddenException extends ApiException {

    public ApiForbiddenException(String reason) {
        super(403, "forbidden", reason);
    }
}
