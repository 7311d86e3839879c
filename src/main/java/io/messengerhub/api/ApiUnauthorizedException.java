package io.messengerhub.api;

/** A read-API request without a valid bearer token; answered 401 with nothing else. */
public class ApiUnauthorizedException extends ApiException {

    public ApiUnauthorizedException(String reason) {
        super(401, "unauthorized", reason);
    }
}
