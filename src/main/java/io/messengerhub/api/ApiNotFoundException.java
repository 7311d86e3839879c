package io.messengerhub.api;

/** A read-API request for something that does not exist; answered 404. */
public class ApiNotFoundException extends RuntimeException {

    public ApiNotFoundException(String what) {
        super(what);
    }
}
