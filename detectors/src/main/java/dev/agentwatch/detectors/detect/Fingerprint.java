package dev.agentwatch.detectors.detect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable finding ids: the first 128 bits of SHA-256 over the parts, as 32 hex characters. */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(String... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0x1f);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }
}
