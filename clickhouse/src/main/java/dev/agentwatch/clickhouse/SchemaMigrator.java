package dev.agentwatch.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered SQL files under {@code db/migration/} (listed in its {@code index.txt})
 * that the database has not recorded yet, in order, and records each in
 * {@code schema_migrations}. Every statement is idempotent ({@code IF NOT EXISTS}), so a run
 * interrupted half-way is safe to repeat.
 */
public final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String ROOT = "db/migration/";
    private static final Pattern FILE_NAME = Pattern.compile("(\\d{3})_([a-z0-9_]+)\\.sql");

    /** One migration file. */
    public record Migration(int version, String name, List<String> statements) {
        public Migration {
            statements = List.copyOf(statements);
        }
    }

    private final ClickHouseConfig config;

    private SchemaMigrator(ClickHouseConfig config) {
        this.config = config;
    }

    public static SchemaMigrator of(ClickHouseConfig config) {
        return new SchemaMigrator(config);
    }

    /** Applies what is missing; returns the versions applied now. */
    public List<Integer> migrate() {
        try (Client bootstrap = ClickHouseClients.createWithoutDatabase(config)) {
            execute(bootstrap, "CREATE DATABASE IF NOT EXISTS " + config.database());
        }
        try (Client client = ClickHouseClients.create(config)) {
            execute(client, """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version UInt32,
                        name String,
                        applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
                    ) ENGINE = ReplacingMergeTree ORDER BY version""");
            Set<Integer> applied = appliedVersions(client);
            List<Integer> appliedNow = new ArrayList<>();
            for (Migration migration : bundledMigrations()) {
                if (applied.contains(migration.version())) {
                    continue;
                }
                LOG.info("applying migration version={} name={} database={}", migration.version(), migration.name(),
                        config.database());
                for (String statement : migration.statements()) {
                    execute(client, statement);
                }
                execute(client, "INSERT INTO schema_migrations (version, name) VALUES (" + migration.version()
                        + ", '" + migration.name() + "')");
                appliedNow.add(migration.version());
            }
            return appliedNow;
        }
    }

    private static Set<Integer> appliedVersions(Client client) {
        Set<Integer> versions = new HashSet<>();
        for (GenericRecord row : client.queryAll("SELECT version FROM schema_migrations FINAL")) {
            versions.add((int) row.getLong("version"));
        }
        return versions;
    }

    private static void execute(Client client, String sql) {
        try {
            client.execute(sql).get(120, TimeUnit.SECONDS).close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while migrating", e);
        } catch (Exception e) {
            throw new IllegalStateException("migration statement failed: " + firstLine(sql) + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String sql) {
        String trimmed = sql.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline) + " ...";
    }

    /** The migrations shipped with this build, in version order. */
    public static List<Migration> bundledMigrations() {
        List<Migration> migrations = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            String fileName = line.strip();
            if (fileName.isEmpty() || fileName.startsWith("#")) {
                continue;
            }
            Matcher matcher = FILE_NAME.matcher(fileName);
            if (!matcher.matches()) {
                throw new IllegalStateException("bad migration file name in index.txt: " + fileName);
            }
            int version = Integer.parseInt(matcher.group(1));
            if (!migrations.isEmpty() && migrations.getLast().version() >= version) {
                throw new IllegalStateException("migrations out of order in index.txt at " + fileName);
            }
            migrations.add(new Migration(version, matcher.group(2), statements(resource(fileName))));
        }
        return migrations;
    }

    /** Splits a file on semicolons that end a line; comments start with "--" at line start. */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String resource(String fileName) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(ROOT + fileName)) {
            if (in == null) {
                throw new IllegalStateException("migration resource missing: " + ROOT + fileName);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
