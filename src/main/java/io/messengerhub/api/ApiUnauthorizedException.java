package io.messengerhub.api;

/** A read-API request without a valid bearer token; answered 401 with nothing else. */
public class ApiUnauthorizedException extends RuntimeException {

    public ApiUnauthorizedException(String reason) {
        super(reason);
    }
}
