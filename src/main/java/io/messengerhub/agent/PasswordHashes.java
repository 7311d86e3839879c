package io.messengerhub.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for config/agents.yaml: PBKDF2 with HMAC-SHA256, a random salt, stored as
 * {@code pbkdf2-sha256:<iterations>:<salt>:<hash>} (Base64). Run {@code main} to hash a new password.
 */
public final class PasswordHashes {

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 120_000;
    private static final int HASH_BITS = 256;

    private PasswordHashes() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether the password matches the stored hash; a malformed hash matches nothing. */
    public static boolean matches(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split(":");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /**
     * Like {@link #matches}, but for a login whose id may be unknown ({@code stored} null): the same work is done
     * against a hash nobody's password matches, so a refusal takes as long for an unknown id as for a wrong
     * password, and the time does not tell which ids exist.
     */
    public static boolean verify(String password, String stored) {
        boolean known = stored != null;
        boolean matches = matches(password == null ? "" : password, known ? stored : UNKNOWN_LOGIN);
        return known && password != null && matches;
    }

    /** Hashed once at start with the current cost; compared against for ids that do not exist. */
    private static final String UNKNOWN_LOGIN = hash(java.util.UUID.randomUUID().toString());

    static boolean isWellFormed(String stored) {
        return stored != null && stored.startsWith(SCHEME + ":") && stored.split(":").length == 4;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Prints the hash of the password given as argument or typed in, for config/agents.yaml. */
    public static void main(String[] args) {
        String password = args.length > 0 ? args[0]
                : System.console() != null ? new String(System.console().readPassword("Password: ")) : null;
        if (password == null || password.isEmpty()) {
            System.err.println("usage: PasswordHashes <password>   (or run it in a terminal to be asked)");
            System.exit(2);
        }
        System.out.println(hash(password));
        java.util.Arrays.fill(password.getBytes(StandardCharsets.UTF_8), (byte) 0);
    }
}
