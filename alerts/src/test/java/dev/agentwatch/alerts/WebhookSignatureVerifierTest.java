package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureVerifierTest {
    private static final String SECRET = "a-long-shared-secret-for-tests";
    private static final byte[] BODY = "{\"version\":\"4\"}".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_764_410_400L;
    private final WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(SECRET, 300);

    @Test
    void acceptsWhatAgentwatchSigned() {
        String header = WebhookSignature.sign(SECRET, NOW, BODY);
        assertThat(header).matches("t=1764410400,v1=[0-9a-f]{64}");
        assertThat(verifier.verify(header, BODY, NOW + 10)).isTrue();
    }

    @Test
    void refusesATamperedBodyOrTheWrongSecret() {
        String header = WebhookSignature.sign(SECRET, NOW, BODY);
        assertThat(verifier.verify(header, "{\"version\":\"5\"}".getBytes(StandardCharsets.UTF_8), NOW)).isFalse();
        assertThat(new WebhookSignatureVerifier("another-secret-entirely", 300).verify(header, BODY, NOW)).isFalse();
    }

    @Test
    void refusesAReplayOutsideTheTolerance() {
        String header = WebhookSignature.sign(SECRET, NOW, BODY);
        assertThat(verifier.verify(header, BODY, NOW + 301)).isFalse();
        assertThat(verifier.verify(header, BODY, NOW - 301)).isFalse();
    }

    @Test
    void refusesAForgedTimestampOnAGenuineSignature() {
        String genuine = WebhookSignature.sign(SECRET, NOW - 3600, BODY);
        String forged = genuine.replace("t=" + (NOW - 3600), "t=" + NOW);
        assertThat(verifier.verify(forged, BODY, NOW)).isFalse();
    }

    @Test
    void acceptsAnyOfSeveralSignaturesDuringSecretRotation() {
        String header = WebhookSignature.sign(SECRET, NOW, BODY);
        String rotating = "t=" + NOW + ",v1=" + "00".repeat(32) + "," + header.substring(header.indexOf("v1="));
        assertThat(verifier.verify(rotating, BODY, NOW)).isTrue();
    }

    @Test
    void refusesGarbageHeaders() {
        assertThat(verifier.verify(null, BODY, NOW)).isFalse();
        assertThat(verifier.verify("", BODY, NOW)).isFalse();
        assertThat(verifier.verify("t=abc,v1=00", BODY, NOW)).isFalse();
        assertThat(verifier.verify("t=" + NOW + ",v1=zz", BODY, NOW)).isFalse();
        assertThatThrownBy(() -> new WebhookSignatureVerifier("", 300)).isInstanceOf(IllegalArgumentException.class);
    }
}
