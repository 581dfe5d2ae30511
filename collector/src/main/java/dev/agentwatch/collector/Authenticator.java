package dev.agentwatch.collector;

import java.util.Optional;

/**
 * Turns the credentials a request carries ({@code Authorization: Bearer <key>} or
 * {@code X-API-Key: <key>}, as HTTP headers or gRPC metadata) into its tenant. The tenant comes
 * from the key alone, never from the payload. Thread-safe.
 */
final class Authenticator {
    private final boolean enabled;
    private final ApiKeys apiKeys;
    private final String anonymousTenant;

    Authenticator(CollectorConfig config) {
        this.enabled = config.authEnabled();
        this.apiKeys = ApiKeys.of(config.apiKeys());
        this.anonymousTenant = config.anonymousTenant();
    }

    /** The tenant, or a 401 saying what is missing. Either argument may be null. */
    String tenant(String authorization, String apiKeyHeader) throws Rejection {
        if (!enabled) {
            return anonymousTenant;
        }
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).strip();
        } else if (apiKeyHeader != null) {
            key = apiKeyHeader.strip();
        }
        if (key == null || key.isEmpty()) {
            throw new Rejection(401, "missing_api_key",
                    "missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
        Optional<String> tenant = apiKeys.tenantOf(key);
        if (tenant.isEmpty()) {
            throw new Rejection(401, "unknown_api_key", "unknown API key");
        }
        return tenant.get();
    }
}
