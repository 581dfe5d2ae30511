package dev.agentwatch.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {
    @Test
    void splitsStatementsOnLineEndingSemicolonsAndDropsComments() {
        List<String> statements = SchemaMigrator.statements("""
                -- a comment; with a semicolon
                CREATE TABLE a (x String DEFAULT ';') ENGINE = Memory;
                CREATE TABLE b (y UInt8)
                ENGINE = Memory;
                """);
        assertThat(statements).containsExactly(
                "CREATE TABLE a (x String DEFAULT ';') ENGINE = Memory",
                "CREATE TABLE b (y UInt8)\nENGINE = Memory");
    }

    @Test
    void bundledMigrationsAreNumberedInOrder() {
        List<SchemaMigrator.Migration> migrations = SchemaMigrator.bundledMigrations();
        assertThat(migrations).isNotEmpty();
        assertThat(migrations.getFirst().version()).isEqualTo(1);
        assertThat(migrations.getFirst().statements()).anySatisfy(s -> assertThat(s).contains("CREATE TABLE IF NOT EXISTS steps"));
    }
}
