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
 * @param findingsBatchAge the same for the findings table, {@code batchAge} if that is shorter:
 *                        findings are few, and what on-call looks at first, so they wait less
 */
public record ClickHouseConfig(String url, String database, String user, String password, int batchRows,
                               Duration batchAge, Duration findingsBatchAge) {
    /**
     * The shipped batch settings (also in the CLI's defaults): one insert a second per table, as
     * ClickHouse advises, and up to 50,000 rows in it. Each insert makes a part to merge: measured
     * with bench ClickHouseInsertCost on the embedded engine, an insert costs 14-17 ms of CPU
     * beyond its rows, and a row about 10 us in batches of 10,000 against 7 us in batches of
     * 50,000, merges included.
     */
    public static final int DEFAULT_BATCH_ROWS = 50_000;
    public static final Duration DEFAULT_BATCH_AGE = Duration.ofSeconds(1);
    /**
     * Half the others': with 1 s, a finding reached ClickHouse 1.7-1.9 s (p99) after its span
     * reached Kafka in bench DetectorsThroughput, against 1.2 s with 500 ms.
     */
    public static final Duration DEFAULT_FINDINGS_BATCH_AGE = Duration.ofMillis(500);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public ClickHouseConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(batchAge, "batchAge");
        Objects.requireNonNull(findingsBatchAge, "findingsBatchAge");
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
        if (findingsBatchAge.isNegative() || findingsBatchAge.isZero()) {
            throw new IllegalArgumentException("clickhouse.findings.batch.age must be positive, got " + findingsBatchAge);
        }
        // Findings never wait longer than the other tables' rows.
        if (batchAge.compareTo(findingsBatchAge) < 0) {
            findingsBatchAge = batchAge;
        }
    }

    /** With the findings table's default batch age (or {@code batchAge}, if that is shorter). */
    public ClickHouseConfig(String url, String database, String user, String password, int batchRows, Duration batchAge) {
        this(url, database, user, password, batchRows, batchAge, DEFAULT_FINDINGS_BATCH_AGE);
    }

    public static ClickHouseConfig of(String url, String database) {
        return new ClickHouseConfig(url, database, "default", "", DEFAULT_BATCH_ROWS, DEFAULT_BATCH_AGE);
    }

    public ClickHouseConfig withDatabase(String otherDatabase) {
        return new ClickHouseConfig(url, otherDatabase, user, password, batchRows, batchAge, findingsBatchAge);
    }

    @Override
    public String toString() {
        return "ClickHouseConfig[url=" + url + ", database=" + database + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "***") + ", batchRows=" + batchRows
                + ", batchAge=" + batchAge + ", findingsBatchAge=" + findingsBatchAge + "]";
    }
}
