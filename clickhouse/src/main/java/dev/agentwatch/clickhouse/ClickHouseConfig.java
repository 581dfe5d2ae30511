package dev.agentwatch.clickhouse;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where agentwatch's ClickHouse is and how to write to it. The embedded chDB server and a real
 * ClickHouse server are the same to everything that uses this.
 *
 * @param url             HTTP interface, e.g. {@code http://127.0.0.1:8123}
 * @param database        database holding agentwatch's tables (created by the migrations)
 * @param user            user name
 * @param password        password, may be empty
 * @param batchRows       flush a sink's buffer at this many rows
 * @param batchAge        ... or when its oldest row is this old
 */
public record ClickHouseConfig(String url, String database, String user, String password, int batchRows,
                               Duration batchAge) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ClickHouseConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(batchAge, "batchAge");
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("clickhouse.url must be an http(s) URL like http://127.0.0.1:8123, got '" + url + "'");
        }
        if (!IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("clickhouse.database must be a plain identifier, got '" + database + "'");
        }
        if (batchRows < 1) {
            throw new IllegalArgumentException("clickhouse.batch.rows must be at least 1, got " + batchRows);
        }
        if (batchAge.isNegative() || batchAge.isZero()) {
            throw new IllegalArgumentException("clickhouse.batch.age must be positive, got " + batchAge);
        }
    }

    public static ClickHouseConfig of(String url, String database) {
        return new ClickHouseConfig(url, database, "default", "", 10_000, Duration.ofSeconds(1));
    }

    public ClickHouseConfig withDatabase(String otherDatabase) {
        return new ClickHouseConfig(url, otherDatabase, user, password, batchRows, batchAge);
    }

    @Override
    public String toString() {
        return "ClickHouseConfig[url=" + url + ", database=" + database + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "***") + ", batchRows=" + batchRows
                + ", batchAge=" + batchAge + "]";
    }
}
