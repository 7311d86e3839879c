package io.messengerhub.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bearer tokens CRMs and operators use on the read API ({@code hub.api.tokens}, environment
 * {@code HUB_API_TOKENS}, comma separated). No token, no data.
 */
@Component("apiTokens")
public class ApiTokens {

    private static final String BEARER = "Bearer ";

    private final List<byte[]> tokens;

    public ApiTokens(@Value("${hub.api.tokens:}") String configured) {
        this.tokens = Arrays.stream(configured.split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Lets the request through, or throws {@link ApiUnauthorizedException}. */
    public void authorize(@Header("Authorization") String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiUnauthorizedException("bearer token required");
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (byte[] token : tokens) {
            known |= MessageDigest.isEqual(token, presented);
        }
        if (!known) {
            throw new ApiUnauthorizedException("bearer token not accepted");
        }
    }
}
