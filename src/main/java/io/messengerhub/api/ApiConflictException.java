package io.messengerhub.api;

/** A read-API command that does not fit the resource's state (closing a closed conversation); answered 409. */
public class ApiConflictException extends ApiException {

    public ApiConflictException(String reason) {
        super(409, "conflict", reason);
    }
}
