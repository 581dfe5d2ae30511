package dev.agentwatch.model.otlp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content fingerprints: the first 16 lowercase hex characters (64 bits) of the SHA-256 of the
 * UTF-8 text. Enough to tell repeated tool calls or identical outputs apart, not enough to
 * recover or dictionary-attack long content cheaply. Thread-safe.
 */
final class TextDigest {

    static final int HEX_CHARS = 16;

    private TextDigest() {
    }

    static String of(String text) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
        byte[] digest = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, HEX_CHARS / 2);
    }
}
