package io.messengerhub.api;

/** A read-API request missing what it needs; answered 400 with the reason. */
public class ApiBadRequestException extends ApiException {

    public ApiBadRequestException(String reason) {
        super(400, "bad_request", reason);
    }
}
