using AuditTool.Data;
using AuditTool.Tests.Support;
using Dapper;

namespace AuditTool.Tests.Data;

public class MigrationRunnerTests
{
    [Fact]
    public void Migrate_OnEmptyDatabase_CreatesTheWholeSchemaInWalMode()
    {
        using var db = new TestDatabase(migrate: false);

        var applied = db.Get<MigrationRunner>().Migrate();

        Assert.Equal(MigrationRunner.Embedded().Select(m => m.Name), applied);
        Assert.True(applied.Count >= 4);
        using var connection = db.Factory.Open();
        var tables = connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet();
        foreach (var table in new[] { "agencies", "users", "templates", "template_versions", "template_sections",
                     "template_questions", "audits", "audit_agencies", "audit_cases", "agency_returns", "answers",
                     "moderations", "findings", "actions", "audit_log", "schema_journal" })
        {
            Assert.Contains(table, tables);
        }

        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(1, connection.ExecuteScalar<long>("PRAGMA foreign_keys"));
        Assert.Equal(SqliteConnectionFactory.BusyTimeoutMs, connection.ExecuteScalar<long>("PRAGMA busy_timeout"));
    }

    [Fact]
    public void Migrate_RunAgain_AppliesNothing()
    {
        using var db = new TestDatabase();

        var again = db.Get<MigrationRunner>().Migrate();

        Assert.Empty(again);
        using var connection = db.Factory.Open();
        Assert.Equal(MigrationRunner.Embedded().Count, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_journal"));
    }

    [Fact]
    public void Migrate_WhenALandedMigrationWasEdited_StopsWithAClearMessage()
    {
        using var db = new TestDatabase();
        var edited = MigrationRunner.Embedded()
            .Select((m, i) => i == 0 ? new Migration(m.Name, m.Sql + "\n-- edited later\n") : m)
            .ToList();

        var ex = Assert.Throws<MigrationException>(() => db.Get<MigrationRunner>().Migrate(edited));

        Assert.Contains(edited[0].Name, ex.Message);
        Assert.Contains("changed after it was applied", ex.Message);
    }

    [Fact]
    public void Migrate_AFailingMigration_RollsBackAndRecordsNothing()
    {
        using var db = new TestDatabase();
        var broken = MigrationRunner.Embedded()
            .Append(new Migration("9999_broken.sql", "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);"))
            .ToList();

        Assert.Throws<MigrationException>(() => db.Get<MigrationRunner>().Migrate(broken));

        using var connection = db.Factory.Open();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'"));
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_journal WHERE name = '9999_broken.sql'"));
    }

    [Fact]
    public void Migration_Checksum_IgnoresLineEndings()
    {
        Assert.Equal(new Migration("a.sql", "SELECT 1;\nSELECT 2;").Checksum, new Migration("a.sql", "SELECT 1;\r\nSELECT 2;").Checksum);
        Assert.NotEqual(new Migration("a.sql", "SELECT 1;").Checksum, new Migration("a.sql", "SELECT 2;").Checksum);
    }

    [Fact]
    public void AuditLog_RefusesUpdateAndDelete()
    {
        using var db = new TestDatabase();
        using var connection = db.Factory.Open();
        connection.Execute("INSERT INTO audit_log (at_utc, user_name, action, entity) VALUES ('2026-01-01T00:00:00Z', 'x', 'create', 'agency')");

        var update = Assert.ThrowsAny<Exception>(() => connection.Execute("UPDATE audit_log SET action = 'tampered'"));
        var delete = Assert.ThrowsAny<Exception>(() => connection.Execute("DELETE FROM audit_log"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Equal("create", connection.ExecuteScalar<string>("SELECT action FROM audit_log"));
    }
}
