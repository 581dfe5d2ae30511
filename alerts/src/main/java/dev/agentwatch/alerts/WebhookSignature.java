package dev.agentwatch.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies: header {@value #HEADER}{@code : t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">} with the receiver's shared secret. Receivers check it with
 * {@link WebhookSignatureVerifier}. Thread-safe.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Agentwatch-Signature";

    private WebhookSignature() {
    }

    /** The header value for {@code body} sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, epochSeconds, body));
    }

    static byte[] hmac(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
