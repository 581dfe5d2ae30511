package dev.agentwatch.collector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Maps API keys to tenants. Only SHA-256 hashes of keys are held, so a leaked config does not
 * leak keys. Thread-safe.
 */
public final class ApiKeys {
    private final Map<String, String> tenantByKeyHash;

    private ApiKeys(Map<String, String> tenantByKeyHash) {
        this.tenantByKeyHash = Map.copyOf(tenantByKeyHash);
    }

    public static ApiKeys of(Map<String, String> tenantByKeyHash) {
        return new ApiKeys(tenantByKeyHash);
    }

    /** The tenant of {@code apiKey}, empty when the key is unknown. */
    public Optional<String> tenantOf(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(tenantByKeyHash.get(hash(apiKey)));
    }

    /** Lowercase SHA-256 hex, the form keys are configured in. */
    public static String hash(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
