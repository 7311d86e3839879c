package io.messengerhub.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/** A set of bearer tokens (comma separated in configuration), compared in constant time. */
public final class BearerTokens {

    private static final String BEARER = "Bearer ";

    private final List<byte[]> tokens;

    public BearerTokens(String commaSeparated) {
        this.tokens = Arrays.stream(commaSeparated == null ? new String[0] : commaSeparated.split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Whether the header names a bearer scheme at all. */
    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    /** Whether an {@code Authorization} header value carries one of the tokens. */
    public boolean accepts(String authorization) {
        if (!isBearer(authorization)) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (byte[] token : tokens) {
            known |= MessageDigest.isEqual(token, presented);
        }
        return known;
    }
}
