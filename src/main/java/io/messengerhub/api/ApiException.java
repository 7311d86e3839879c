package io.messengerhub.api;

/**
 * A refusal of the HTTP API that the caller can act on: the HTTP status, a stable error code, and a reason
 * written for people. {@link ApiErrors} turns it into the answer; the reason may quote what the caller sent.
 */
public abstract class ApiException extends RuntimeException {

    private final int status;
    private final String error;

    protected ApiException(int status, String error, String reason) {
        super(reason);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
