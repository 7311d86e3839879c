package io.messengerhub.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private final SignatureVerifier verifier = new SignatureVerifier("app-secret");

    @Test
    void shouldAcceptTheSignatureFacebookComputes() {
        // HMAC-SHA256("app-secret", body), computed independently with: printf '%s' "$body" | openssl dgst -sha256 -hmac app-secret
        byte[] body = "{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);

        String computedByOpenSsl = "sha256=e6e9d7a842a48e17f43a34d6125d0d933e2aab92ee37f0993a4d493b50e3d438";

        assertThat(verifier.isValid(body, computedByOpenSsl)).isTrue();
        assertThat(verifier.header(body)).isEqualTo(computedByOpenSsl);
    }

    @Test
    void shouldRejectTamperedSignatureAndBody() {
        byte[] body = "{\"text\":\"Grüße 😀\"}".getBytes(StandardCharsets.UTF_8);
        String header = verifier.header(body);

        byte[] tampered = body.clone();
        tampered[3] ^= 1;
        assertThat(verifier.isValid(tampered, header)).isFalse();
        String flippedHex = header.substring(0, header.length() - 1) + (header.endsWith("0") ? "1" : "0");
        assertThat(verifier.isValid(body, flippedHex)).isFalse();
    }

    @Test
    void shouldRejectMissingOrMalformedHeaders() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String hex = verifier.header(body).substring("sha256=".length());

        assertThat(verifier.isValid(body, null)).isFalse();
        assertThat(verifier.isValid(body, "")).isFalse();
        assertThat(verifier.isValid(body, hex)).isFalse();
        assertThat(verifier.isValid(body, "sha1=" + hex)).isFalse();
        assertThat(verifier.isValid(body, "sha256=" + hex.substring(2))).isFalse();
        assertThat(verifier.isValid(body, "sha256=" + "zz" + hex.substring(2))).isFalse();
        assertThat(verifier.isValid(body, "SHA256=" + hex.toUpperCase())).isTrue();
    }

    @Test
    void shouldRejectASignatureMadeWithAnotherSecret() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.isValid(body, new SignatureVerifier("other-secret").header(body))).isFalse();
    }

    @Test
    void shouldVerifyAnyBodyItSignedAndNoBodyWithOneByteChanged() {
        var random = new Random(20261128);
        for (int i = 0; i < 500; i++) {
            byte[] body = new byte[random.nextInt(2048)];
            random.nextBytes(body);
            String header = verifier.header(body);
            assertThat(verifier.isValid(body, header)).isTrue();
            if (body.length > 0) {
                byte[] changed = body.clone();
                changed[random.nextInt(body.length)] ^= (byte) (1 + random.nextInt(255));
                assertThat(verifier.isValid(changed, header)).isFalse();
            }
        }
    }

}
