package io.messengerhub.api;

import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bearer tokens CRMs and operators use on the read API ({@code hub.api.tokens}, environment
 * {@code HUB_API_TOKENS}, comma separated). No token, no data. Only the Authorization header counts:
 * {@link ApiRequestFilter} refuses credentials in the URL.
 */
@Component("apiTokens")
public class ApiTokens {

    private final BearerTokens tokens;

    public ApiTokens(@Value("${hub.api.tokens:}") String configured) {
        this.tokens = new BearerTokens(configured);
    }

    /** Lets the request through, or throws {@link ApiUnauthorizedException}. */
    public void authorize(@Header("Authorization") String authorization) {
        if (!BearerTokens.isBearer(authorization)) {
            throw new ApiUnauthorizedException("bearer token required");
        }
        if (!tokens.accepts(authorization)) {
            throw new ApiUnauthorizedException("bearer token not accepted");
        }
    }
}
