package io.messengerhub.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** HTTP Basic credentials from an Authorization header. */
public record BasicCredentials(String user, String password) {

    /** Empty when the header holds no Basic credentials; 401 when they are not Base64. */
    public static Optional<BasicCredentials> of(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiUnauthorizedException("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        return Optional.of(colon < 0 ? new BasicCredentials(decoded, "")
                : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
