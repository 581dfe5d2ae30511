package dev.agentwatch.instrumentation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stands in for tool arguments when content is not captured: a keyed hash (HMAC-SHA256, first
 * 16 hex characters) of the arguments' canonical JSON, written as {@code redacted:hmac-sha256:<hex>}.
 * Equal arguments give equal stand-ins under one key, so repeated calls (loops) stay visible
 * while the values do not leave the process. The key defeats guessing short arguments from
 * their hash; share one key across processes only if runs must compare across them.
 * Thread-safe.
 */
final class ArgumentsDigest {
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;

    private ArgumentsDigest(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    static ArgumentsDigest withKey(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the arguments hash key must have at least 16 bytes, got " + key.length);
        }
        return new ArgumentsDigest(key);
    }

    static ArgumentsDigest withRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new ArgumentsDigest(key);
    }

    /** The stand-in text for {@code arguments} (a map, list or scalar). */
    String redacted(Object arguments) {
        return "redacted:hmac-sha256:" + hex(CanonicalJson.of(arguments));
    }

    private String hex(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HEX.formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships HmacSHA256", e);
        }
    }
}
