package dev.agentwatch.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies agentwatch webhook signatures. Self-contained (JDK only): receivers may copy this file.
 *
 * <p>agentwatch sends {@code X-Agentwatch-Signature: t=<unix seconds>,v1=<hex>} where
 * {@code hex = HMAC-SHA256(secret, "<t>." + raw body bytes)}. Verify against the raw bytes
 * before parsing the JSON, and reject timestamps too far from now so a captured request cannot
 * be replayed later. Thread-safe.
 */
public final class WebhookSignatureVerifier {
    private final byte[] secret;
    private final long toleranceSeconds;

    /**
     * @param secret           the shared secret from the receiver's config
     * @param toleranceSeconds how far the signed timestamp may be from now (300 is a good start)
     */
    public WebhookSignatureVerifier(String secret, long toleranceSeconds) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret is required");
        }
        if (toleranceSeconds < 0) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.toleranceSeconds = toleranceSeconds;
    }

    /** Whether {@code header} is a valid signature of {@code body} at {@code nowEpochSeconds}. */
    public boolean verify(String header, byte[] body, long nowEpochSeconds) {
        if (header == null || body == null) {
            return false;
        }
        Long timestamp = null;
        byte[] expected = null;
        boolean matched = false;
        for (String part : header.split(",")) {
            String item = part.strip();
            if (item.startsWith("t=") && timestamp == null) {
                try {
                    timestamp = Long.parseLong(item.substring(2));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        if (timestamp == null || Math.abs(nowEpochSeconds - timestamp) > toleranceSeconds) {
            return false;
        }
        expected = hmac(timestamp, body);
        // Several v1 entries may be present while a secret is being rotated: any one may match.
        for (String part : header.split(",")) {
            String item = part.strip();
            if (item.startsWith("v1=")) {
                byte[] given;
                try {
                    given = HexFormat.of().parseHex(item.substring(3));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                matched |= MessageDigest.isEqual(expected, given);
            }
        }
        return matched;
    }

    private byte[] hmac(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
