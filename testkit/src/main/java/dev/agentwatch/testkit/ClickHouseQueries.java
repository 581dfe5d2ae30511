package dev.agentwatch.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * What integration tests ask ClickHouse through the unmodified clickhouse-jdbc driver: a
 * connection, a count, and a count awaited with a deadline (the pipeline writes asynchronously).
 */
public final class ClickHouseQueries {
    private ClickHouseQueries() {
    }

    /** A JDBC connection to {@code database} on the HTTP interface at {@code url}, as user default. */
    public static Connection connect(String url, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "default");
        properties.setProperty("password", "");
        // LZ4 framing works against the embedded server too; plain bodies keep failures readable.
        properties.setProperty("compress", "false");
        return DriverManager.getConnection("jdbc:clickhouse:" + url + "/" + database, properties);
    }

    /** The first column of the first row of {@code countQuery}. */
    public static long count(Connection connection, String countQuery) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(countQuery)) {
            if (!rows.next()) {
                throw new AssertionError("no row from [" + countQuery + "]");
            }
            return rows.getLong(1);
        }
    }

    /** Polls until {@code countQuery} reaches {@code minimum}, and returns the count then. */
    public static long awaitAtLeast(Connection connection, String countQuery, long minimum, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            last = count(connection, countQuery);
            if (last >= minimum) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("expected at least " + minimum + " for [" + countQuery + "] within " + timeout
                + ", last saw " + last);
    }

    /** Polls until {@code countQuery} reaches {@code expected}; fails if it then is more. */
    public static void awaitCount(Connection connection, String countQuery, long expected, Duration timeout)
            throws SQLException, InterruptedException {
        long count = awaitAtLeast(connection, countQuery, expected, timeout);
        if (count != expected) {
            throw new AssertionError("expected exactly " + expected + " for [" + countQuery + "], got " + count);
        }
    }
}
