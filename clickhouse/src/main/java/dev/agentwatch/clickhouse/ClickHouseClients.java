package dev.agentwatch.clickhouse;

import com.clickhouse.client.api.Client;

/** Creates client-v2 clients for a {@link ClickHouseConfig}. */
public final class ClickHouseClients {
    private ClickHouseClients() {
    }

    /** A client whose default database is the configured one. */
    public static Client create(ClickHouseConfig config) {
        return builder(config).setDefaultDatabase(config.database()).build();
    }

    /** A client without a default database, for creating it. */
    static Client createWithoutDatabase(ClickHouseConfig config) {
        return builder(config).build();
    }

    private static Client.Builder builder(ClickHouseConfig config) {
        // LZ4 framing of the HTTP interface is not implemented by the embedded server: plain bodies.
        return new Client.Builder()
                .addEndpoint(config.url())
                .setUsername(config.user())
                .setPassword(config.password())
                .compressServerResponse(false)
                .compressClientRequest(false);
    }
}
