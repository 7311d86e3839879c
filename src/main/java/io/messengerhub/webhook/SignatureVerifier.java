package io.messengerhub.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Hub-Signature-256: sha256=<hex>}: HMAC-SHA256 of the raw body keyed with the app secret.
 * Verifies the exact bytes received (Meta signs an escaped-unicode form, so re-serialised JSON would not match)
 * and compares in constant time.
 */
public final class SignatureVerifier {

    private static final String PREFIX = "sha256=";
    private static final int SHA256_HEX_LENGTH = 64;

    private final SecretKeySpec key;

    public SignatureVerifier(String appSecret) {
        this.key = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Whether the header is a valid signature of the body; a missing or malformed header is simply not valid. */
    public boolean isValid(byte[] body, String signatureHeader) {
        if (signatureHeader == null || !signatureHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        String hex = signatureHeader.substring(PREFIX.length()).trim();
        if (hex.length() != SHA256_HEX_LENGTH) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(sign(body), claimed);
    }

    /** The signature Facebook would send for this body; used by tests and the bench to sign payloads. */
    public String header(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(sign(body));
    }

    private byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
