package io.messengerhub.api;

/** A request without credentials that count; answered 401 with nothing else, and the scheme to use. */
public class ApiUnauthorizedException extends ApiException {

    private final String challenge;

    public ApiUnauthorizedException(String reason) {
        this(reason, "Bearer");
    }

    /** {@code challenge}: the WWW-Authenticate answer, e.g. {@code Basic realm="admin"}. */
    public ApiUnauthorizedException(String reason, String challenge) {
        super(401, "unauthorized", reason);
        this.challenge = challenge;
    }

    public String challenge() {
        return challenge;
    }
}
