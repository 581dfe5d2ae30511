package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {
    @Test
    void refusesAuthWithoutKeysAndSaysHowToFixIt() {
        assertThatThrownBy(() -> CollectorConfig.of("127.0.0.1:9092", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("collector.api.keys")
                .hasMessageContaining("collector.auth.enabled=false");
    }

    @Test
    void refusesKeysThatAreNotSha256Hex() {
        assertThatThrownBy(() -> CollectorConfig.of("127.0.0.1:9092", Map.of("plaintext-key", "acme")))
                .hasMessageContaining("SHA-256");
    }

    @Test
    void neverPrintsKeyHashes() {
        String hash = ApiKeys.hash("secret");
        assertThat(CollectorConfig.of("127.0.0.1:9092", Map.of(hash, "acme")).toString())
                .doesNotContain(hash).contains("acme");
    }

    @Test
    void mapsKeysToTenantsByHash() {
        ApiKeys keys = ApiKeys.of(Map.of(ApiKeys.hash("k1"), "acme"));
        assertThat(keys.tenantOf("k1")).contains("acme");
        assertThat(keys.tenantOf("k2")).isEmpty();
        assertThat(keys.tenantOf("")).isEmpty();
    }
}
